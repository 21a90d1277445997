using System.Globalization;
using Bulwark.Analysis.Inventory;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// <c>pnpm-lock.yaml</c> in its three key formats: v5 (<c>/name/1.0.0_peer</c>), v6 (<c>/name@1.0.0(peer)</c>) and
/// v9 (<c>name@1.0.0</c> in <c>packages</c>, the graph in <c>snapshots</c>). Importers (the root project or each
/// workspace) give the direct dependencies; a package is dev-only when no importer's production dependency
/// reaches it. Linked workspace packages (<c>link:</c>) and local files are the project's own code and are skipped.
/// </summary>
public sealed class PnpmLockAnalyzer : LockfileAnalyzer
{
    private static readonly string[] ProductionSections = ["dependencies", "optionalDependencies"];

    public override string Name => "pnpm-lock";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/pnpm-lock.yaml"];

    public override Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(input.Text))
        {
            stream.Load(reader);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new LockfileFormatException("not a YAML mapping", 1);
        }

        var versionText = Scalar(root, "lockfileVersion") ?? throw new LockfileFormatException("no lockfileVersion", 1);
        if (!double.TryParse(versionText, NumberStyles.Float, CultureInfo.InvariantCulture, out var lockfileVersion) || lockfileVersion < 5)
        {
            throw new LockfileFormatException($"lockfileVersion {versionText} is not supported (5.x, 6.x and 9.x are)", (int)root.Start.Line);
        }

        var v5 = lockfileVersion < 6;
        var packages = new Dictionary<string, (string Name, string Version, YamlMappingNode? Node)>(StringComparer.Ordinal);
        var packageMap = Mapping(root, "packages");
        if (packageMap is not null)
        {
            foreach (var (keyNode, valueNode) in packageMap.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? "";
                var node = valueNode as YamlMappingNode;
                var (name, version) = ParseKey(key, v5);
                name = (node is null ? null : Scalar(node, "name")) ?? name;
                version = (node is null ? null : Scalar(node, "version")) ?? version;
                if (name.Length == 0 || version.Length == 0)
                {
                    throw new LockfileFormatException($"package key '{key}' is not name and version", (int)keyNode.Start.Line);
                }

                packages[StripPeers(key.TrimStart('/'), v5)] = (name, version, node);
            }
        }

        // v9 moved the graph to snapshots (keys with peer suffixes); before, it sits on the packages entries.
        var graph = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var graphSource = Mapping(root, "snapshots") ?? packageMap;
        if (graphSource is not null)
        {
            foreach (var (keyNode, valueNode) in graphSource.Children)
            {
                var id = StripPeers((((YamlScalarNode)keyNode).Value ?? "").TrimStart('/'), v5);
                if (!graph.TryGetValue(id, out var edges))
                {
                    graph[id] = edges = [];
                }

                if (valueNode is YamlMappingNode node)
                {
                    foreach (var section in ProductionSections)
                    {
                        foreach (var (name, reference) in Dependencies(node, section))
                        {
                            if (ReferenceId(name, reference, v5) is { } target)
                            {
                                edges.Add(target);
                            }
                        }
                    }
                }
            }
        }

        // Importers: "." and each workspace; before v9 a single-project lock puts the root's sections at the top level.
        var direct = new HashSet<string>(StringComparer.Ordinal);
        var productionRoots = new List<string>();
        var importers = Mapping(root, "importers")?.Children.Values.OfType<YamlMappingNode>().ToList() ?? [root];
        foreach (var importer in importers)
        {
            foreach (var section in new[] { "dependencies", "optionalDependencies", "devDependencies" })
            {
                foreach (var (name, reference) in Dependencies(importer, section))
                {
                    if (ReferenceId(name, reference, v5) is { } id)
                    {
                        direct.Add(id);
                        if (section != "devDependencies")
                        {
                            productionRoots.Add(id);
                        }
                    }
                }
            }
        }

        var production = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(productionRoots);
        while (pending.TryPop(out var id))
        {
            if (production.Add(id) && graph.TryGetValue(id, out var edges))
            {
                edges.ForEach(pending.Push);
            }
        }

        var merger = new PackageMerger();
        foreach (var (id, (name, version, _)) in packages)
        {
            var dependsOn = graph.GetValueOrDefault(id) ?? [];
            merger.Add(NewPackage(input, PackageTypes.Npm, name, version, NpmPackageJson.Purl(name, version),
                [.. dependsOn.Where(packages.ContainsKey).Select(d => NpmPackageJson.Purl(packages[d].Name, packages[d].Version))
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                direct: direct.Contains(id), development: !production.Contains(id)));
        }

        merger.CopyTo(result);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A dependency reference as the package id it points to: a plain version (<c>2.1.2</c>, <c>2.1.2(peer@1)</c>,
    /// v5 <c>2.1.2_peer@1</c>) belongs to the dependency's own name; an alias or v5/v6 path (<c>/other/1.0.0</c>,
    /// v9 <c>other@1.0.0</c>) names another package. Links and local files give null.
    /// </summary>
    private static string? ReferenceId(string name, string reference, bool v5)
    {
        if (reference.StartsWith("link:", StringComparison.Ordinal) || reference.StartsWith("file:", StringComparison.Ordinal) || reference.Length == 0)
        {
            return null;
        }

        if (reference.StartsWith('/'))
        {
            return StripPeers(reference[1..], v5);
        }

        var bare = StripPeers(reference, v5);
        // v9 alias ("string-width-cjs": "string-width@4.2.3"): an '@' after the first character.
        if (!v5 && bare.IndexOf('@', 1) > 0)
        {
            return bare;
        }

        return v5 ? name + "/" + bare : name + "@" + bare;
    }

    /// <summary>The package key without its peer-dependency suffix: <c>(…)</c> since v6, <c>_…</c> after the version in v5.</summary>
    private static string StripPeers(string key, bool v5)
    {
        if (!v5)
        {
            var paren = key.IndexOf('(', StringComparison.Ordinal);
            return paren < 0 ? key : key[..paren];
        }

        var versionStart = VersionSlash(key);
        var underscore = versionStart < 0 ? -1 : key.IndexOf('_', versionStart);
        return underscore < 0 ? key : key[..underscore];
    }

    /// <summary>v5: the slash before the version (<c>@scope/name/1.0.0</c> → after <c>name</c>).</summary>
    private static int VersionSlash(string key)
    {
        var first = key.IndexOf('/', StringComparison.Ordinal);
        return key.StartsWith('@') && first >= 0 ? key.IndexOf('/', first + 1) : first;
    }

    private static (string Name, string Version) ParseKey(string key, bool v5)
    {
        var id = StripPeers(key.TrimStart('/'), v5);
        if (v5)
        {
            var slash = VersionSlash(id);
            return slash <= 0 ? (id, "") : (id[..slash], id[(slash + 1)..]);
        }

        var at = id.LastIndexOf('@');
        return at <= 0 ? (id, "") : (id[..at], id[(at + 1)..]);
    }

    /// <summary>A dependency section: v5 <c>name: version</c>, v6/v9 importers <c>name: { specifier, version }</c>.</summary>
    private static IEnumerable<(string Name, string Reference)> Dependencies(YamlMappingNode node, string section)
    {
        if (Mapping(node, section) is not { } map)
        {
            yield break;
        }

        foreach (var (key, value) in map.Children)
        {
            var reference = value switch
            {
                YamlScalarNode scalar => scalar.Value,
                YamlMappingNode mapping => Scalar(mapping, "version"),
                _ => null,
            };
            if (((YamlScalarNode)key).Value is { } name && reference is not null)
            {
                yield return (name, reference);
            }
        }
    }

    private static YamlMappingNode? Mapping(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;
}
