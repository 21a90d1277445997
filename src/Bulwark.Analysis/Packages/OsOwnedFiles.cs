using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Packages;

/// <summary>
/// Files that an OS package owns are that package's: a language package found in such a file (Debian's
/// <c>python3-yaml</c> owns <c>PyYAML-6.0.dist-info/METADATA</c>, <c>libcommons-lang3-java</c> owns its jar) is
/// dropped from the inventory, as Trivy does, so that it is not reported twice. Paths are compared after
/// resolving symbolic links in the view, so <c>/lib/…</c> in a pre-merged-usr database matches <c>usr/lib/…</c>.
/// </summary>
public static class OsOwnedFiles
{
    private static readonly HashSet<string> OsTypes = new(StringComparer.Ordinal) { PackageTypes.Deb, PackageTypes.Apk, PackageTypes.Rpm };

    public static bool IsOsPackage(Package package) => OsTypes.Contains(package.Type);

    /// <summary>
    /// <paramref name="packages"/> without the language packages whose <see cref="Package.FoundIn"/> file (for a
    /// nested archive, the outermost file, before <c>!</c>) an OS package owns. <paramref name="resolve"/> maps a
    /// relative path to its link-free form (or null); pass null to compare paths as written.
    /// </summary>
    public static IReadOnlyList<Package> RemoveOwned(IReadOnlyList<Package> packages, Func<string, string?>? resolve)
    {
        ArgumentNullException.ThrowIfNull(packages);
        if (!packages.Any(p => !IsOsPackage(p)) || !packages.Any(IsOsPackage))
        {
            return packages;
        }

        var owned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in packages.Where(IsOsPackage).SelectMany(p => p.Files))
        {
            var relative = path.Trim('/');
            owned.Add(relative);
            if (resolve?.Invoke(relative) is { } resolved)
            {
                owned.Add(resolved);
            }
        }

        return [.. packages.Where(p => IsOsPackage(p) || !IsOwned(p.FoundIn, owned, resolve))];
    }

    private static bool IsOwned(string foundIn, HashSet<string> owned, Func<string, string?>? resolve)
    {
        var bang = foundIn.IndexOf('!', StringComparison.Ordinal);
        var relative = (bang < 0 ? foundIn : foundIn[..bang]).Trim('/');
        return owned.Contains(relative) || (resolve?.Invoke(relative) is { } resolved && owned.Contains(resolved));
    }
}
