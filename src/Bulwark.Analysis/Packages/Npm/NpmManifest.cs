using System.Text.Json;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.Npm;

/// <summary>What the inventory needs from an installed package's <c>package.json</c>.</summary>
public sealed record NpmManifest
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    public IReadOnlyList<string> Licenses { get; init; } = [];

    /// <summary>Names from <c>dependencies</c> and <c>optionalDependencies</c>.</summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [];

    /// <summary>purl-spec: the scope is the namespace, <c>pkg:npm/%40types/node@20.1.0</c>.</summary>
    public string Purl()
    {
        var slash = Name.IndexOf('/', StringComparison.Ordinal);
        return Name.StartsWith('@') && slash > 0
            ? PackageUrl.Create(PackageTypes.Npm, Name[..slash], Name[(slash + 1)..], Version)
            : PackageUrl.Create(PackageTypes.Npm, null, Name, Version);
    }

    /// <summary>Parses a package.json; null when it has no name or version (not a package). Throws <see cref="JsonException"/> on bad JSON.</summary>
    public static NpmManifest? Parse(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json, LanguageFiles.JsonOptions);
        var root = document.RootElement;
        if (root.GetString("name") is not { Length: > 0 } name || root.GetString("version") is not { Length: > 0 } version)
        {
            return null;
        }

        var dependencies = new List<string>();
        foreach (var field in (string[])["dependencies", "optionalDependencies"])
        {
            if (root.TryGetProperty(field, out var map) && map.ValueKind == JsonValueKind.Object)
            {
                dependencies.AddRange(map.EnumerateObject().Select(p => p.Name));
            }
        }

        return new NpmManifest
        {
            Name = name,
            Version = version,
            Licenses = ReadLicenses(root),
            Dependencies = [.. dependencies.Distinct(StringComparer.Ordinal)],
        };
    }

    /// <summary><c>"license": "MIT"</c>, the legacy <c>"license": {"type": "MIT"}</c> and <c>"licenses": [{"type": …} | "…"]</c>.</summary>
    private static List<string> ReadLicenses(JsonElement root)
    {
        var licenses = new List<string>();
        foreach (var field in (string[])["license", "licenses"])
        {
            if (!root.TryGetProperty(field, out var value))
            {
                continue;
            }

            var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
            foreach (var item in items)
            {
                var license = item.ValueKind == JsonValueKind.String ? item.GetString() : item.GetString("type");
                if (!string.IsNullOrWhiteSpace(license))
                {
                    licenses.Add(license.Trim());
                }
            }
        }

        return [.. licenses.Distinct(StringComparer.Ordinal)];
    }
}
