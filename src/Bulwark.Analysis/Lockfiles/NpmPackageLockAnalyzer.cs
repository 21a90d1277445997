using System.Text.Json;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// npm's <c>package-lock.json</c> (and <c>npm-shrinkwrap.json</c>): lockfileVersion 2 and 3 from the flat
/// <c>packages</c> map keyed by install path, version 1 from the nested <c>dependencies</c> tree. Dependencies are
/// resolved as Node does: the nearest <c>node_modules</c> up the install path.
/// </summary>
public sealed class NpmPackageLockAnalyzer : LockfileAnalyzer
{
    private const string NodeModules = "node_modules/";

    public override string Name => "npm-lock";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/package-lock.json", "**/npm-shrinkwrap.json"];

    protected override IReadOnlyList<string> CompanionGlobs => ["**/package.json"];

    public override async Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(input.Text, NpmPackageJson.JsonOptions);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new LockfileFormatException("not a JSON object", 1);
        }

        var merger = new PackageMerger();
        if (root.TryGetProperty("packages", out var packages) && packages.ValueKind == JsonValueKind.Object)
        {
            ParsePackages(input, packages, merger);
        }
        else if (root.TryGetProperty("dependencies", out var dependencies) && dependencies.ValueKind == JsonValueKind.Object)
        {
            var manifest = await NpmPackageJson.ReadBesideAsync(input, cancellationToken).ConfigureAwait(false);
            ParseVersion1(input, dependencies, manifest, merger);
        }
        else if (!root.TryGetProperty("lockfileVersion", out _))
        {
            throw new LockfileFormatException("no lockfileVersion, packages or dependencies: not an npm lock file", 1);
        }

        merger.CopyTo(result);
    }

    /// <summary>lockfileVersion 2 and 3: <c>"node_modules/a/node_modules/b": { version, dev, dependencies… }</c>.</summary>
    private static void ParsePackages(LockfileInput input, JsonElement packages, PackageMerger merger)
    {
        var entries = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var entry in packages.EnumerateObject())
        {
            entries[entry.Name] = entry.Value;
        }

        // Direct: what the root project or a workspace ("packages/app", entries outside node_modules) depends on.
        HashSet<string>? direct = entries.ContainsKey("") ? new(StringComparer.Ordinal) : null;
        foreach (var (path, entry) in entries.Where(e => !e.Key.Contains(NodeModules, StringComparison.Ordinal)))
        {
            foreach (var dependency in DependencyNames(entry, "dependencies", "devDependencies", "optionalDependencies", "peerDependencies"))
            {
                if (Resolve(entries, path, dependency) is { } resolved)
                {
                    direct?.Add(resolved);
                }
            }
        }

        foreach (var (path, entry) in entries)
        {
            var at = path.LastIndexOf(NodeModules, StringComparison.Ordinal);
            // Workspace sources ("packages/app") and links to them are the project itself, not installed packages.
            if (at < 0 || entry.ValueKind != JsonValueKind.Object || Bool(entry, "link") == true || String(entry, "version") is not { } version)
            {
                continue;
            }

            var name = String(entry, "name") ?? path[(at + NodeModules.Length)..];
            var dependsOn = new List<string>();
            foreach (var dependency in DependencyNames(entry, "dependencies", "optionalDependencies", "peerDependencies"))
            {
                if (Resolve(entries, path, dependency) is { } resolved)
                {
                    dependsOn.Add(resolved);
                }
            }

            var purl = NpmPackageJson.Purl(name, version);
            merger.Add(NewPackage(input, PackageTypes.Npm, name, version, purl,
                [.. dependsOn.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                direct: direct?.Contains(purl),
                development: Bool(entry, "dev") == true,
                licenses: String(entry, "license") is { Length: > 0 } license ? [license] : null));
        }
    }

    /// <summary>Node's lookup: <c>here/node_modules/name</c>, then each parent's, then the root's.</summary>
    private static string? Resolve(Dictionary<string, JsonElement> entries, string from, string name)
    {
        var current = from;
        while (true)
        {
            var candidate = (current.Length == 0 ? "" : current + "/") + NodeModules + name;
            if (entries.TryGetValue(candidate, out var target) && String(target, "version") is { } version && Bool(target, "link") != true)
            {
                return NpmPackageJson.Purl(String(target, "name") ?? name, version);
            }

            if (current.Length == 0)
            {
                return null;
            }

            var at = current.LastIndexOf("/" + NodeModules, StringComparison.Ordinal);
            current = at < 0 ? "" : current[..at];
        }
    }

    /// <summary>lockfileVersion 1: a nested tree of <c>{ version, dev, requires, dependencies }</c>.</summary>
    private static void ParseVersion1(LockfileInput input, JsonElement dependencies, NpmPackageJson? manifest, PackageMerger merger)
    {
        var scopes = new List<JsonElement> { dependencies };
        Walk(dependencies, scopes, topLevel: true);

        void Walk(JsonElement level, List<JsonElement> scopeChain, bool topLevel)
        {
            foreach (var property in level.EnumerateObject())
            {
                var entry = property.Value;
                if (entry.ValueKind != JsonValueKind.Object || String(entry, "version") is not { } version || IsLocal(version))
                {
                    continue;
                }

                var nested = entry.TryGetProperty("dependencies", out var children) && children.ValueKind == JsonValueKind.Object ? children : (JsonElement?)null;
                var chain = nested is { } n ? [.. scopeChain, n] : scopeChain;
                var dependsOn = new List<string>();
                foreach (var required in DependencyNames(entry, "requires"))
                {
                    for (var i = chain.Count - 1; i >= 0; i--)
                    {
                        if (chain[i].TryGetProperty(required, out var target) && String(target, "version") is { } targetVersion && !IsLocal(targetVersion))
                        {
                            dependsOn.Add(NpmPackageJson.Purl(required, targetVersion));
                            break;
                        }
                    }
                }

                merger.Add(NewPackage(input, PackageTypes.Npm, property.Name, version, NpmPackageJson.Purl(property.Name, version),
                    [.. dependsOn.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                    direct: manifest is null ? null : topLevel && manifest.IsDirect(property.Name),
                    development: Bool(entry, "dev") == true));
                if (nested is { } next)
                {
                    Walk(next, chain, topLevel: false);
                }
            }
        }
    }

    private static bool IsLocal(string version) =>
        version.StartsWith("file:", StringComparison.Ordinal) || version.StartsWith("link:", StringComparison.Ordinal);

    private static IEnumerable<string> DependencyNames(JsonElement entry, params string[] properties)
    {
        foreach (var property in properties)
        {
            if (entry.TryGetProperty(property, out var section) && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var dependency in section.EnumerateObject())
                {
                    yield return dependency.Name;
                }
            }
        }
    }

    internal static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? Bool(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean() : null;
}
