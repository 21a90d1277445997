using System.Collections.Concurrent;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Matching;

namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>
/// The advisory database as a series of scans sees it: the status, the covered ecosystems and the candidate advisories
/// of each (ecosystem, package name) are read from the store and parsed once, then shared by every scan given the same
/// snapshot. A re-match of every stored inventory takes one snapshot after the update, so a thousand images on one
/// Debian base cost one lookup per source package instead of a thousand. A snapshot does not see imports made after
/// its first use of a key: take a new one for the next update. Safe for concurrent scans. At most
/// <see cref="MaxCachedAdvisories"/> parsed advisories are kept; lookups beyond that go to the store every time.
/// </summary>
public sealed class AdvisorySnapshot(IAdvisoryReader store, int maxCachedAdvisories = AdvisorySnapshot.MaxCachedAdvisories)
{
    /// <summary>The default bound on the parsed advisories one snapshot keeps (a parsed OSV record is a few KiB).</summary>
    public const int MaxCachedAdvisories = 50_000;

    /// <summary>The most package keys <see cref="LoadPackageKeysAsync"/> keeps (a few hundred thousand in a database with every OSV feed).</summary>
    public const int MaxPackageKeys = 2_000_000;

    /// <summary>The most match results one snapshot keeps (one per distinct package query).</summary>
    public const int MaxCachedMatches = 200_000;

    private readonly ConcurrentDictionary<(EcosystemName, string), IReadOnlyList<StoredAdvisory>> _candidates = new();
    private readonly ConcurrentDictionary<PackageQuery, MatchResult> _matches = new();
    private IReadOnlySet<(string Ecosystem, string Release, string Name)>? _packageKeys;
    private StatusEntry? _status;
    private IReadOnlySet<EcosystemName>? _ecosystems;
    private int _cached;

    /// <summary>The database's sources and staleness, read at the first call (for that maximum age).</summary>
    public async Task<AdvisoryDatabaseStatus> GetStatusAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        if (_status is { } known && known.MaxAge == maxAge)
        {
            return known.Status;
        }

        var status = await store.GetStatusAsync(maxAge, cancellationToken).ConfigureAwait(false);
        _status = new StatusEntry(status, maxAge);
        return status;
    }

    /// <summary>The ecosystems at least one advisory names, read at the first call.</summary>
    public async Task<IReadOnlySet<EcosystemName>> GetEcosystemsAsync(CancellationToken cancellationToken)
    {
        // Two scans starting together may both read it; either result is the same.
        return _ecosystems ??= await store.GetEcosystemsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads every package key the advisories name, in one query, so that later lookups of packages no advisory names
    /// (most dependencies) cost no query. For a pass over many inventories; a single scan does not need it. Without
    /// effect when the database names more than <see cref="MaxPackageKeys"/>.
    /// </summary>
    public async Task LoadPackageKeysAsync(CancellationToken cancellationToken)
    {
        _packageKeys = await store.GetPackageKeysAsync(MaxPackageKeys, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="AdvisoryMatcher.Match"/> of a package against its candidates, evaluated once per distinct query: the
    /// same package version in many images (a shared base image, a popular dependency) is matched once per pass. The
    /// result depends only on the query and the candidates, which the snapshot keeps, so it is the same every time.
    /// </summary>
    public async Task<MatchResult> MatchAsync(PackageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_matches.TryGetValue(query, out var known))
        {
            return known;
        }

        var (ecosystem, name, _) = AdvisoryMatcher.LookupKey(query);
        var candidates = await FindByPackageAsync(ecosystem, name, cancellationToken).ConfigureAwait(false);
        var result = AdvisoryMatcher.Match(query, candidates);
        if (_matches.Count < MaxCachedMatches)
        {
            _matches.TryAdd(query, result);
        }

        return result;
    }

    /// <summary>
    /// Reads the candidates of every one of these package keys (ecosystem, release, normalized name) not read yet, with
    /// as few store queries as the store allows (<see cref="IAdvisoryReader.FindByPackagesAsync"/>) instead of one per key
    /// at its first lookup: a pass over many inventories preloads each page's keys. Keys no advisory names
    /// (<see cref="LoadPackageKeysAsync"/>) are not asked. Lookups after it find the same lists they would have read.
    /// </summary>
    public async Task PreloadAsync(IEnumerable<(string Ecosystem, string Release, string Name)> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var wanted = new HashSet<(EcosystemName Ecosystem, string Name)>();
        foreach (var (ecosystem, release, name) in packages)
        {
            var key = (new EcosystemName(ecosystem, release), name);
            if (!_candidates.ContainsKey(key) && (_packageKeys is not { } known || known.Contains((ecosystem, release, name))))
            {
                wanted.Add(key);
            }
        }

        if (wanted.Count == 0)
        {
            return;
        }

        var found = await store.FindByPackagesAsync(wanted, cancellationToken).ConfigureAwait(false);
        foreach (var (key, advisories) in found)
        {
            Keep(key, advisories);
        }
    }

    /// <summary>The candidate advisories of a package, as <see cref="IAdvisoryReader.FindByPackageAsync"/> returns them, read once per key.</summary>
    public async Task<IReadOnlyList<StoredAdvisory>> FindByPackageAsync(EcosystemName ecosystem, string name, CancellationToken cancellationToken)
    {
        var key = (ecosystem, PackageNames.Normalize(ecosystem.Name, name));
        if (_candidates.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (_packageKeys is { } known && !known.Contains((ecosystem.Name, ecosystem.Release, key.Item2)))
        {
            return [];
        }

        var advisories = await store.FindByPackageAsync(ecosystem, name, cancellationToken).ConfigureAwait(false);
        Keep(key, advisories);
        return advisories;
    }

    /// <summary>
    /// Keeps a package's candidates for the later lookups while the snapshot holds at most <c>maxCachedAdvisories</c>
    /// (counted per list entry); a key another thread kept first stays as it is and is not counted twice.
    /// </summary>
    private void Keep((EcosystemName, string) key, IReadOnlyList<StoredAdvisory> advisories)
    {
        if (Interlocked.Add(ref _cached, advisories.Count) > maxCachedAdvisories || !_candidates.TryAdd(key, advisories))
        {
            Interlocked.Add(ref _cached, -advisories.Count);
        }
    }

    private sealed record StatusEntry(AdvisoryDatabaseStatus Status, TimeSpan MaxAge);
}
