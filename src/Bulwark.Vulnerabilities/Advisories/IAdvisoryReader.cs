namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>
/// What a scan reads from the advisory database: its state, the ecosystems it covers and the candidate advisories of a
/// package. <see cref="AdvisoryStore"/> reads them through EF Core (the server, any provider); the CLI's
/// <c>bulwark scan</c> reads its SQLite file with plain commands, which spares a short process EF Core's start-up.
/// </summary>
public interface IAdvisoryReader
{
    /// <summary>The sources, and whether the oldest import is older than <paramref name="maxAge"/> (or nothing was imported).</summary>
    Task<AdvisoryDatabaseStatus> GetStatusAsync(TimeSpan maxAge, CancellationToken cancellationToken);

    /// <summary>The ecosystems (with normalized release) that at least one stored advisory names.</summary>
    Task<IReadOnlySet<EcosystemName>> GetEcosystemsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every (ecosystem, release, normalized name) that at least one stored advisory names, or null when there are more
    /// than <paramref name="limit"/>: lets a pass over many inventories skip the lookup of every package no advisory names.
    /// </summary>
    Task<IReadOnlySet<(string Ecosystem, string Release, string Name)>?> GetPackageKeysAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The advisories (withdrawn ones excluded) that name a package in an ecosystem release; the name is normalized here.</summary>
    Task<IReadOnlyList<StoredAdvisory>> FindByPackageAsync(EcosystemName ecosystem, string name, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="FindByPackageAsync"/> for many packages at once (names already normalized): the advisories of each, in
    /// the same order, keyed as asked; a package no advisory names has an empty list. By default one lookup per package;
    /// a store may answer in fewer queries (a pass over many inventories asks a page's new packages together).
    /// </summary>
    async Task<IReadOnlyDictionary<(EcosystemName Ecosystem, string Name), IReadOnlyList<StoredAdvisory>>> FindByPackagesAsync(
        IReadOnlyCollection<(EcosystemName Ecosystem, string Name)> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var found = new Dictionary<(EcosystemName Ecosystem, string Name), IReadOnlyList<StoredAdvisory>>();
        foreach (var package in packages)
        {
            found[package] = await FindByPackageAsync(package.Ecosystem, package.Name, cancellationToken).ConfigureAwait(false);
        }

        return found;
    }
}
