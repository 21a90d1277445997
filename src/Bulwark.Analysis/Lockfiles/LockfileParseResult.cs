using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>What a lock file parser found: packages, and warnings that did not stop it (an unpinned requirement).</summary>
public sealed class LockfileParseResult
{
    private readonly List<Package> packages = [];
    private readonly List<string> warnings = [];

    public IReadOnlyList<Package> Packages => packages;

    public IReadOnlyList<string> Warnings => warnings;

    public void Add(Package package) => packages.Add(package);

    public void Warn(string warning) => warnings.Add(warning);
}
