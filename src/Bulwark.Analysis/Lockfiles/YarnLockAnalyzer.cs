using Bulwark.Analysis.Inventory;
using YamlDotNet.RepresentationModel;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// <c>yarn.lock</c>: the classic v1 format (yarn's own indented syntax) and Berry (yarn 2+, YAML with
/// <c>__metadata</c>). Only packages resolved from the npm registry are reported: workspaces, links, patches and
/// other protocols are the project's own code or duplicates. Direct and dev come from the <c>package.json</c>
/// beside the lock file (Berry also records the root workspace's dependencies).
/// </summary>
public sealed class YarnLockAnalyzer : LockfileAnalyzer
{
    public override string Name => "yarn-lock";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/yarn.lock"];

    protected override IReadOnlyList<string> CompanionGlobs => ["**/package.json"];

    public override async Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        var manifest = await NpmPackageJson.ReadBesideAsync(input, cancellationToken).ConfigureAwait(false);
        var entries = input.Text.Contains("__metadata:", StringComparison.Ordinal) ? ParseBerry(input.Text) : ParseClassic(input.Text);

        // A descriptor ("ms@npm:^2.1.1", "ms@^2.1.1") names the entry that satisfies it.
        var byDescriptor = new Dictionary<string, YarnEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            foreach (var descriptor in entry.Descriptors)
            {
                byDescriptor[descriptor] = entry;
            }
        }

        var rootWorkspace = entries.FirstOrDefault(e => e.Workspace == ".");
        var merger = new PackageMerger();
        var registry = entries.Where(e => e.Registry).ToList();
        var dependsOn = registry.ToDictionary(e => e, e => e.Dependencies
            .Select(d => byDescriptor.GetValueOrDefault(e.Berry ? d.Name + "@" + BerryRange(d.Range) : d.Name + "@" + d.Range))
            .OfType<YarnEntry>().Where(d => d.Registry).Distinct().ToList());
        // Direct: an entry resolving a descriptor that package.json (or Berry's root workspace entry) asks for.
        var berry = entries.Any(e => e.Berry);
        var requested = manifest?.Descriptors(productionOnly: false).Select(d => berry ? Normalize(d) : d).ToHashSet(StringComparer.Ordinal)
            ?? rootWorkspace?.Dependencies.Select(d => d.Name + "@" + BerryRange(d.Range)).ToHashSet(StringComparer.Ordinal);
        var direct = registry.ToDictionary(e => e, e => requested is null ? (bool?)null : e.Descriptors.Any(requested.Contains));

        // The lock file does not say what is dev-only: a package is when no production dependency of package.json reaches it.
        var production = new HashSet<YarnEntry>();
        if (manifest is not null)
        {
            var roots = manifest.Descriptors(productionOnly: true).Select(d => berry ? Normalize(d) : d).ToHashSet(StringComparer.Ordinal);
            var pending = new Stack<YarnEntry>(registry.Where(e => e.Descriptors.Any(roots.Contains)));
            while (pending.TryPop(out var entry))
            {
                if (production.Add(entry))
                {
                    dependsOn[entry].ForEach(pending.Push);
                }
            }
        }

        foreach (var entry in registry)
        {
            merger.Add(NewPackage(input, PackageTypes.Npm, entry.Name, entry.Version, NpmPackageJson.Purl(entry.Name, entry.Version),
                [.. dependsOn[entry].Select(d => NpmPackageJson.Purl(d.Name, d.Version)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                direct[entry], manifest is null ? null : !production.Contains(entry)));
        }

        merger.CopyTo(result);
    }

    /// <summary><c>@scope/name@range</c> → <c>@scope/name</c>.</summary>
    internal static string DescriptorName(string descriptor)
    {
        var at = descriptor.IndexOf('@', descriptor.StartsWith('@') ? 1 : 0);
        return at < 0 ? descriptor : descriptor[..at];
    }

    /// <summary><c>name@range</c> as Berry keys it: <c>name@npm:range</c>.</summary>
    private static string Normalize(string descriptor)
    {
        var name = DescriptorName(descriptor);
        return name + "@" + BerryRange(descriptor[(name.Length + 1)..]);
    }

    /// <summary>Berry writes a dependency's range as in package.json; its descriptor key gains the default <c>npm:</c> protocol.</summary>
    private static string BerryRange(string range) => range.Contains(':', StringComparison.Ordinal) ? range : "npm:" + range;

    private static List<YarnEntry> ParseBerry(string text)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
        {
            stream.Load(reader);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new LockfileFormatException("not a YAML mapping", 1);
        }

        var entries = new List<YarnEntry>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            if (key is null or "__metadata" || valueNode is not YamlMappingNode value)
            {
                continue;
            }

            var resolution = Scalar(value, "resolution") ?? throw new LockfileFormatException($"entry {key} has no resolution", (int)keyNode.Start.Line);
            var version = Scalar(value, "version") ?? throw new LockfileFormatException($"entry {key} has no version", (int)keyNode.Start.Line);
            var name = DescriptorName(resolution);
            var reference = resolution[(name.Length + 1)..];
            var dependencies = new List<(string Name, string Range)>();
            foreach (var section in new[] { "dependencies", "optionalDependencies" })
            {
                if (value.Children.TryGetValue(new YamlScalarNode(section), out var node) && node is YamlMappingNode map)
                {
                    dependencies.AddRange(map.Children.Select(c => (((YamlScalarNode)c.Key).Value ?? "", (c.Value as YamlScalarNode)?.Value ?? "")));
                }
            }

            entries.Add(new YarnEntry
            {
                Name = name,
                Version = version,
                Descriptors = [.. key.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
                Dependencies = dependencies,
                Registry = reference.StartsWith("npm:", StringComparison.Ordinal),
                Workspace = reference.StartsWith("workspace:", StringComparison.Ordinal) ? reference["workspace:".Length..] : null,
                Berry = true,
            });
        }

        return entries;
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>
    /// Classic v1: unindented <c>"a@^1", a@^1.2:</c> headers, two-space fields (<c>version "1.2.3"</c>,
    /// <c>resolved</c>, <c>dependencies:</c>) and four-space dependency lines (<c>ms "2.1.2"</c>).
    /// </summary>
    private static List<YarnEntry> ParseClassic(string text)
    {
        var entries = new List<YarnEntry>();
        List<string>? descriptors = null;
        int headerLine = 0;
        string? version = null, resolved = null;
        var dependencies = new List<(string Name, string Range)>();
        var inDependencies = false;
        var lineNumber = 0;

        void Flush()
        {
            if (descriptors is null)
            {
                return;
            }

            if (version is null)
            {
                throw new LockfileFormatException($"entry {string.Join(", ", descriptors)} has no version", headerLine);
            }

            var name = DescriptorName(descriptors[0]);
            var range = descriptors[0][(name.Length + 1)..];
            entries.Add(new YarnEntry
            {
                Name = name,
                Version = version,
                Descriptors = descriptors,
                Dependencies = [.. dependencies],
                // file:, link: and workspace entries are local code; git and tarball URLs are kept as packages.
                Registry = !(range.StartsWith("file:", StringComparison.Ordinal) || range.StartsWith("link:", StringComparison.Ordinal)
                    || (resolved?.StartsWith("file:", StringComparison.Ordinal) ?? false)),
                Berry = false,
            });
            descriptors = null;
            version = resolved = null;
            dependencies.Clear();
        }

        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var indent = line.Length - line.TrimStart(' ').Length;
            var content = line.Trim();
            if (indent == 0)
            {
                Flush();
                if (!content.EndsWith(':'))
                {
                    throw new LockfileFormatException($"expected an entry header ending in ':', found '{Truncate(content)}'", lineNumber);
                }

                descriptors = [.. content[..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Unquote)];
                if (descriptors.Count == 0 || descriptors.Any(d => d.IndexOf('@', 1) < 0))
                {
                    throw new LockfileFormatException($"entry header '{Truncate(content)}' is not a list of name@range", lineNumber);
                }

                headerLine = lineNumber;
                inDependencies = false;
                continue;
            }

            if (descriptors is null)
            {
                throw new LockfileFormatException("indented line outside an entry", lineNumber);
            }

            if (indent == 2)
            {
                inDependencies = content is "dependencies:" or "optionalDependencies:";
                var (field, value) = SplitField(content);
                if (field == "version")
                {
                    version = value;
                }
                else if (field == "resolved")
                {
                    resolved = value;
                }

                continue;
            }

            if (inDependencies)
            {
                var (dependency, range) = SplitField(content);
                if (range is null)
                {
                    throw new LockfileFormatException($"dependency line '{Truncate(content)}' has no range", lineNumber);
                }

                dependencies.Add((dependency, range));
            }
        }

        Flush();
        return entries;
    }

    /// <summary><c>name "value"</c> or <c>"@scope/name" value</c> → (name, value).</summary>
    private static (string Field, string? Value) SplitField(string content)
    {
        string field, rest;
        if (content.StartsWith('"'))
        {
            var close = content.IndexOf('"', 1);
            if (close < 0)
            {
                return (content, null);
            }

            field = content[1..close];
            rest = content[(close + 1)..];
        }
        else
        {
            var space = content.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                return (content, null);
            }

            field = content[..space];
            rest = content[space..];
        }

        rest = rest.Trim();
        return (field, rest.Length == 0 ? null : Unquote(rest));
    }

    private static string Unquote(string value) => value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";

    private sealed class YarnEntry
    {
        public required string Name { get; init; }

        public required string Version { get; init; }

        public required List<string> Descriptors { get; init; }

        public required List<(string Name, string Range)> Dependencies { get; init; }

        /// <summary>Resolved from a registry (reported), as opposed to a workspace, link, patch or file.</summary>
        public required bool Registry { get; init; }

        /// <summary>The workspace path, for a Berry workspace entry.</summary>
        public string? Workspace { get; init; }

        public required bool Berry { get; init; }
    }
}
