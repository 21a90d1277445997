using System.Text.Json;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>The parts of an npm <c>package.json</c> that the JavaScript lock files lack: which dependencies are direct, which are dev.</summary>
internal sealed class NpmPackageJson
{
    internal static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 256, AllowTrailingCommas = false };

    private NpmPackageJson(Dictionary<string, string> production, Dictionary<string, string> development)
    {
        Production = production;
        Development = development;
    }

    /// <summary>Names and ranges under <c>dependencies</c>, <c>optionalDependencies</c> and <c>peerDependencies</c>.</summary>
    public Dictionary<string, string> Production { get; }

    /// <summary>Names and ranges under <c>devDependencies</c>.</summary>
    public Dictionary<string, string> Development { get; }

    public bool IsDirect(string name) => Production.ContainsKey(name) || Development.ContainsKey(name);

    /// <summary>The <c>name@range</c> descriptors the manifest asks for, production or all.</summary>
    public IEnumerable<string> Descriptors(bool productionOnly) =>
        (productionOnly ? Production : Production.Concat(Development)).Select(d => d.Key + "@" + d.Value);

    /// <summary>The <c>package.json</c> beside the lock file, or null when there is none or it cannot be read (it is not what is being analysed).</summary>
    public static async Task<NpmPackageJson?> ReadBesideAsync(LockfileInput input, CancellationToken cancellationToken)
    {
        var path = input.Directory.Length == 0 ? "package.json" : input.Directory + "/package.json";
        if (await input.ReadFileAsync(path, cancellationToken).ConfigureAwait(false) is not { } text)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text, JsonOptions);
            return FromRoot(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The manifest part of a root object (<c>package.json</c>, or the <c>""</c> entry of a v2/v3 lock).</summary>
    public static NpmPackageJson FromRoot(JsonElement root) =>
        new(Names(root, "dependencies", "optionalDependencies", "peerDependencies"), Names(root, "devDependencies"));

    private static Dictionary<string, string> Names(JsonElement root, params string[] properties)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            return names;
        }

        foreach (var property in properties)
        {
            if (root.TryGetProperty(property, out var section) && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var dependency in section.EnumerateObject())
                {
                    names.TryAdd(dependency.Name, dependency.Value.ValueKind == JsonValueKind.String ? dependency.Value.GetString() ?? "" : "");
                }
            }
        }

        return names;
    }

    /// <summary>purl-spec npm: the scope (with its <c>@</c>) is the namespace.</summary>
    public static string Purl(string name, string version)
    {
        var slash = name.StartsWith('@') ? name.IndexOf('/', StringComparison.Ordinal) : -1;
        return slash > 0
            ? PackageUrl.Create(PackageTypes.Npm, name[..slash], name[(slash + 1)..], version)
            : PackageUrl.Create(PackageTypes.Npm, null, name, version);
    }
}
