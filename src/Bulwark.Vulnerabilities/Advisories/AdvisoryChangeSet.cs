namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>
/// What an import changed in its source, compared with the advisories it replaced: how many advisories were added,
/// modified (their stored document differs: new ranges, a new <c>modified</c> time, withdrawn…) or removed, and the
/// package keys (ecosystem, release, normalized name) those advisories name, before or after. Only a package with one of
/// these keys can gain or lose a finding; <see cref="Packages"/> is null when there were more than
/// <see cref="MaxPackages"/> (then every package must be assumed changed).
/// </summary>
public sealed record AdvisoryChangeSet(int Added, int Modified, int Removed, IReadOnlySet<(string Ecosystem, string Release, string Name)>? Packages)
{
    /// <summary>The most package keys a change set lists.</summary>
    public const int MaxPackages = 200_000;

    /// <summary>Whether nothing changed.</summary>
    public bool IsEmpty => Added == 0 && Modified == 0 && Removed == 0;

    /// <summary>
    /// The package keys changed by several imports (an update of several sources), or null when one of them is not known
    /// (an import that did not track changes, or too many keys): then every package must be assumed changed.
    /// </summary>
    public static IReadOnlySet<(string Ecosystem, string Release, string Name)>? ChangedPackages(IEnumerable<AdvisoryChangeSet?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var packages = new HashSet<(string Ecosystem, string Release, string Name)>();
        foreach (var change in changes)
        {
            if (change?.Packages is not { } keys || packages.Count + keys.Count > MaxPackages)
            {
                return null;
            }

            packages.UnionWith(keys);
        }

        return packages;
    }
}
