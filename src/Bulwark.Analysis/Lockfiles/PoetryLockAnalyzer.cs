using Bulwark.Analysis.Inventory;
using Tomlyn.Model;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// <c>poetry.lock</c> (TOML): every <c>[[package]]</c> with its <c>[package.dependencies]</c>. Dev-only comes from
/// <c>category = "dev"</c> (lock format 1.x) or <c>groups</c> without <c>main</c> (Poetry 2); when the lock has
/// neither, from reachability from the main dependencies of the <c>pyproject.toml</c> beside it, which also says
/// which packages are direct.
/// </summary>
public sealed class PoetryLockAnalyzer : LockfileAnalyzer
{
    public override string Name => "poetry-lock";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/poetry.lock"];

    protected override IReadOnlyList<string> CompanionGlobs => ["**/pyproject.toml"];

    public override async Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        var document = TomlDocuments.Parse(input.Text, input.Path);
        var entries = new List<(string Name, string Version, bool? Development, List<string> Dependencies)>();
        foreach (var package in TomlDocuments.Tables(document, "package"))
        {
            var name = TomlDocuments.String(package, "name") ?? throw new LockfileFormatException("a [[package]] has no name");
            var version = TomlDocuments.String(package, "version") ?? throw new LockfileFormatException($"package {name} has no version");
            bool? development = TomlDocuments.String(package, "category") is { } category ? category == "dev"
                : package.ContainsKey("groups") ? !TomlDocuments.Strings(package, "groups").Contains("main", StringComparer.Ordinal)
                : null;
            var dependencies = TomlDocuments.Table(package, "dependencies")?.Keys.Select(PythonNames.Normalize).ToList() ?? [];
            entries.Add((name, version, development, dependencies));
        }

        var manifest = await PyProject.ReadBesideAsync(input, cancellationToken).ConfigureAwait(false);
        var byName = entries.ToLookup(e => PythonNames.Normalize(e.Name), StringComparer.Ordinal);
        HashSet<string>? production = null;
        if (manifest is not null && entries.Any(e => e.Development is null))
        {
            production = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>(manifest.Main);
            while (pending.TryPop(out var name))
            {
                if (production.Add(name))
                {
                    foreach (var entry in byName[name])
                    {
                        entry.Dependencies.ForEach(pending.Push);
                    }
                }
            }
        }

        var merger = new PackageMerger();
        foreach (var (name, version, development, dependencies) in entries)
        {
            var normalized = PythonNames.Normalize(name);
            merger.Add(NewPackage(input, PackageTypes.PyPI, name, version, PythonNames.Purl(name, version),
                [.. dependencies.SelectMany(d => byName[d]).Select(d => PythonNames.Purl(d.Name, d.Version)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                direct: manifest?.IsDirect(normalized),
                development: development ?? (production is null ? null : !production.Contains(normalized))));
        }

        merger.CopyTo(result);
    }

    /// <summary>The dependency names of a <c>pyproject.toml</c>: Poetry's tables and PEP 621's <c>[project]</c>, normalised.</summary>
    private sealed class PyProject
    {
        private static readonly System.Buffers.SearchValues<char> NameEnd = System.Buffers.SearchValues.Create(" [<>=!~;@(");

        public HashSet<string> Main { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Development { get; } = new(StringComparer.Ordinal);

        public bool IsDirect(string normalized) => Main.Contains(normalized) || Development.Contains(normalized);

        public static async Task<PyProject?> ReadBesideAsync(LockfileInput input, CancellationToken cancellationToken)
        {
            var path = input.Directory.Length == 0 ? "pyproject.toml" : input.Directory + "/pyproject.toml";
            if (await input.ReadFileAsync(path, cancellationToken).ConfigureAwait(false) is not { } text)
            {
                return null;
            }

            TomlTable document;
            try
            {
                document = TomlDocuments.Parse(text, path);
            }
            catch (Tomlyn.TomlException)
            {
                return null;
            }

            var manifest = new PyProject();
            var poetry = TomlDocuments.Table(document, "tool") is { } tool ? TomlDocuments.Table(tool, "poetry") : null;
            if (poetry is not null)
            {
                AddKeys(manifest.Main, TomlDocuments.Table(poetry, "dependencies"));
                AddKeys(manifest.Development, TomlDocuments.Table(poetry, "dev-dependencies"));
                if (TomlDocuments.Table(poetry, "group") is { } groups)
                {
                    foreach (var (group, value) in groups)
                    {
                        if (value is TomlTable table)
                        {
                            AddKeys(group == "main" ? manifest.Main : manifest.Development, TomlDocuments.Table(table, "dependencies"));
                        }
                    }
                }
            }

            if (TomlDocuments.Table(document, "project") is { } project)
            {
                foreach (var requirement in TomlDocuments.Strings(project, "dependencies"))
                {
                    manifest.Main.Add(RequirementName(requirement));
                }
            }

            manifest.Main.Remove("python");
            return manifest;
        }

        private static void AddKeys(HashSet<string> names, TomlTable? table)
        {
            foreach (var key in table?.Keys ?? [])
            {
                names.Add(PythonNames.Normalize(key));
            }
        }

        /// <summary>The name of a PEP 508 requirement string (<c>requests[socks]>=2.31; python_version>"3.8"</c>).</summary>
        private static string RequirementName(string requirement)
        {
            var end = requirement.AsSpan().IndexOfAny(NameEnd);
            return PythonNames.Normalize(end < 0 ? requirement : requirement[..end]);
        }
    }
}
