using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// <c>Cargo.lock</c> (TOML, lock formats 1 to 4): every <c>[[package]]</c> with a <c>source</c> (a registry or git)
/// is a dependency; packages without one are the workspace's own crates, not reported, and their dependencies
/// are the direct ones. <c>dependencies</c> entries are <c>name</c>, <c>name version</c> or
/// <c>name version (source)</c>, resolved to the locked package. Cargo.lock does not record dev-only.
/// </summary>
public sealed class CargoLockAnalyzer : LockfileAnalyzer
{
    public override string Name => "cargo-lock";

    protected override IReadOnlyList<string> LockfileGlobs => ["**/Cargo.lock"];

    public override Task ParseAsync(LockfileInput input, LockfileParseResult result, CancellationToken cancellationToken)
    {
        var document = TomlDocuments.Parse(input.Text, input.Path);
        var entries = new List<(string Name, string Version, bool Local, List<string> Dependencies)>();
        foreach (var package in TomlDocuments.Tables(document, "package"))
        {
            var name = TomlDocuments.String(package, "name") ?? throw new LockfileFormatException("a [[package]] has no name");
            var version = TomlDocuments.String(package, "version") ?? throw new LockfileFormatException($"package {name} has no version");
            entries.Add((name, version, !package.ContainsKey("source"), [.. TomlDocuments.Strings(package, "dependencies")]));
        }

        var byName = entries.ToLookup(e => e.Name, StringComparer.Ordinal);
        string? Resolve(string dependency)
        {
            var parts = dependency.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            var candidates = byName[parts[0]].Where(e => parts.Length < 2 || e.Version == parts[1]).ToList();
            return candidates is [var only] && !only.Local ? Purl(only.Name, only.Version) : null;
        }

        var direct = entries.Where(e => e.Local).SelectMany(e => e.Dependencies).Select(Resolve).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var merger = new PackageMerger();
        foreach (var (name, version, local, dependencies) in entries.Where(e => !e.Local))
        {
            var purl = Purl(name, version);
            merger.Add(NewPackage(input, PackageTypes.Cargo, name, version, purl,
                [.. dependencies.Select(Resolve).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                direct: entries.Any(e => e.Local) ? direct.Contains(purl) : null));
        }

        merger.CopyTo(result);
        return Task.CompletedTask;
    }

    private static string Purl(string name, string version) => PackageUrl.Create(PackageTypes.Cargo, null, name, version);
}
