using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// Collects the packages of one lock file, one per purl: a package installed at several places of a tree is
/// reported once, direct when any place is, development-only when every place is, with the union of its
/// dependencies.
/// </summary>
internal sealed class PackageMerger
{
    private readonly Dictionary<string, Package> packages = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    public void Add(Package package)
    {
        if (!packages.TryGetValue(package.Purl, out var existing))
        {
            packages[package.Purl] = package;
            order.Add(package.Purl);
            return;
        }

        packages[package.Purl] = existing with
        {
            Direct = existing.Direct is null && package.Direct is null ? null : existing.Direct == true || package.Direct == true,
            Development = existing.Development is null || package.Development is null ? existing.Development ?? package.Development
                : existing.Development.Value && package.Development.Value,
            DependsOn = [.. existing.DependsOn.Union(package.DependsOn, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Licenses = [.. existing.Licenses.Union(package.Licenses, StringComparer.Ordinal)],
        };
    }

    public void CopyTo(LockfileParseResult result)
    {
        foreach (var purl in order)
        {
            result.Add(packages[purl]);
        }
    }
}
