using System.Text.Json;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages.NuGet;

/// <summary>
/// Reads a .NET <c>*.deps.json</c> (written by the SDK at build and publish): the <c>libraries</c> of type
/// <c>package</c> are NuGet packages (key <c>Name/Version</c>); <c>project</c> entries are the application and its
/// project references, <c>reference</c> entries are assemblies, and both are skipped. Direct dependencies come from
/// the target named by <c>runtimeTarget</c> (else every target).
/// </summary>
public static class DepsJsonParser
{
    public const long MaxBytes = 64L * 1024 * 1024;

    public const int MaxLibraries = 100_000;

    /// <summary>
    /// The packages of a deps.json, with <see cref="Package.FoundIn"/> set to <paramref name="foundIn"/> (no layer).
    /// Throws <see cref="PackageDatabaseException"/> for malformed or oversized input.
    /// </summary>
    public static IReadOnlyList<Package> Parse(Stream stream, string foundIn)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new PackageDatabaseException($"{foundIn} is over {MaxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), LanguageFiles.JsonOptions);
            return Read(document.RootElement, foundIn);
        }
        catch (JsonException e)
        {
            throw new PackageDatabaseException($"{foundIn} is not valid JSON: {e.Message}", e);
        }
    }

    private static List<Package> Read(JsonElement root, string foundIn)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object)
        {
            throw new PackageDatabaseException($"{foundIn} has no \"libraries\" object");
        }

        var packages = new Dictionary<string, (string Name, string Version)>(StringComparer.OrdinalIgnoreCase);
        foreach (var library in libraries.EnumerateObject())
        {
            if (packages.Count >= MaxLibraries)
            {
                throw new PackageDatabaseException($"{foundIn} has more than {MaxLibraries} libraries");
            }

            var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
            if (library.Value.GetString("type") == "package" && slash > 0 && slash < library.Name.Length - 1)
            {
                packages[library.Name] = (library.Name[..slash], library.Name[(slash + 1)..]);
            }
        }

        var dependencies = Dependencies(root, packages);
        return [.. packages.Select(p => new Package
        {
            Type = PackageTypes.NuGet,
            Name = p.Value.Name,
            Version = p.Value.Version,
            DependsOn = dependencies.TryGetValue(p.Key, out var deps) ? [.. deps.Order(StringComparer.Ordinal)] : [],
            FoundIn = foundIn,
            Purl = Purl(p.Value.Name, p.Value.Version),
        })];
    }

    /// <summary>Package key → purls of the packages it depends on, from the runtime target (or every target).</summary>
    private static Dictionary<string, HashSet<string>> Dependencies(JsonElement root, Dictionary<string, (string Name, string Version)> packages)
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        if (!root.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Object)
        {
            return result;
        }

        var runtimeTarget = root.TryGetProperty("runtimeTarget", out var rt) ? rt.GetString("name") : null;
        foreach (var target in targets.EnumerateObject())
        {
            if ((runtimeTarget is not null && target.Name != runtimeTarget) || target.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var library in target.Value.EnumerateObject())
            {
                if (!packages.ContainsKey(library.Name) || library.Value.ValueKind != JsonValueKind.Object
                    || !library.Value.TryGetProperty("dependencies", out var deps) || deps.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var set = result.TryGetValue(library.Name, out var existing) ? existing : result[library.Name] = new HashSet<string>(StringComparer.Ordinal);
                foreach (var dependency in deps.EnumerateObject())
                {
                    if (dependency.Value.ValueKind == JsonValueKind.String
                        && packages.TryGetValue(dependency.Name + "/" + dependency.Value.GetString(), out var resolved))
                    {
                        set.Add(Purl(resolved.Name, resolved.Version));
                    }
                }
            }
        }

        return result;
    }

    private static string Purl(string name, string version) => PackageUrl.Create(PackageTypes.NuGet, null, name, version);
}
