using System.Text.Json;
using Bulwark.Analysis.Inventory;
using Bulwark.Vulnerabilities.Severity;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Scanning;

/// <summary>
/// Stored inventories and findings, keyed by manifest digest. Storing a match result diffs it against the open
/// findings: new ones are recorded with the time they appeared, vanished ones are closed, and the severity summary
/// is recounted — all in one transaction.
/// </summary>
public sealed class ScanResultStore(IDbContextFactory<ScanDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Package names per index query (one array parameter).</summary>
    private const int NamesPerQuery = 1000;

    public async Task<bool> HasInventoryAsync(string digest, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Results.AnyAsync(r => r.ManifestDigest == digest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored inventory of an image, decoded for matching, or null when none is stored.</summary>
    public async Task<ImageInventory?> LoadInventoryForMatchingAsync(string digest, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var stored = await db.Results.Where(r => r.ManifestDigest == digest).Select(r => r.Inventory)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return stored is null ? null : InventoryCodec.DecodeForMatching(stored);
    }

    /// <summary>Stores a fresh analysis with its match; returns the findings that were not open before.</summary>
    public Task<IReadOnlyList<ScannedFinding>> StoreAnalysisAsync(string digest, ImageInventory inventory, ImageScanOutcome outcome,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return StoreAsync(digest, InventoryCodec.Encode(inventory), inventory.Packages.Count, outcome, cancellationToken);
    }

    /// <summary>Stores a re-match of a stored inventory; returns the findings that were not open before.</summary>
    public Task<IReadOnlyList<ScannedFinding>> StoreMatchAsync(string digest, ImageScanOutcome outcome, CancellationToken cancellationToken) =>
        StoreAsync(digest, null, 0, outcome, cancellationToken);

    /// <summary>Stored images' digests after <paramref name="after"/> in ordinal order, a page at a time (no inventory is read).</summary>
    public async Task<IReadOnlyList<string>> ListDigestsAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Results.AsNoTracking();
        if (after is not null)
        {
            query = query.Where(r => string.Compare(r.ManifestDigest, after) > 0);
        }

        return await query.OrderBy(r => r.ManifestDigest).Take(limit).Select(r => r.ManifestDigest).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored inventories (still compressed) of these images, in ordinal digest order; removed ones are left out.</summary>
    public async Task<IReadOnlyList<StoredInventory>> ReadInventoriesAsync(IReadOnlyList<string> digests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        if (digests.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Results.AsNoTracking().Where(r => digests.Contains(r.ManifestDigest)).Select(r => new { r.ManifestDigest, r.Inventory })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(r => r.ManifestDigest, StringComparer.Ordinal).Select(r => new StoredInventory(r.ManifestDigest, r.Inventory))];
    }

    /// <summary>The re-match index's state of every indexed image (<see cref="ScanMatchStateEntity"/>): ecosystems and database state by digest.</summary>
    public async Task<IReadOnlyDictionary<string, (string Ecosystems, string DatabaseState)>> LoadMatchStatesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.MatchStates.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.ManifestDigest, r => (r.Ecosystems, r.DatabaseState), StringComparer.Ordinal);
    }

    /// <summary>The indexed images that hold a package with one of these keys (ecosystem, release, normalized name).</summary>
    public async Task<IReadOnlySet<string>> FindImagesHoldingAsync(IReadOnlySet<(string Ecosystem, string Release, string Name)> packages,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var images = new HashSet<string>(StringComparer.Ordinal);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        foreach (var names in packages.Select(p => p.Name).Distinct(StringComparer.Ordinal).Chunk(NamesPerQuery))
        {
            var rows = await db.PackageKeys.AsNoTracking().Where(k => names.Contains(k.Name))
                .Select(k => new { k.ManifestDigest, k.Ecosystem, k.Release, k.Name }).ToListAsync(cancellationToken).ConfigureAwait(false);
            images.UnionWith(rows.Where(r => packages.Contains((r.Ecosystem, r.Release, r.Name))).Select(r => r.ManifestDigest));
        }

        return images;
    }

    /// <summary>Sets the match time of images a re-match found unaffected by the update: their findings are current as of now.</summary>
    public async Task MarkMatchedAsync(IReadOnlyList<string> digests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        if (digests.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Results.Where(r => digests.Contains(r.ManifestDigest)).ExecuteUpdateAsync(set => set.SetProperty(r => r.MatchedAt, now), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Stores the re-matches of several stored inventories in one transaction (one commit, not one per image): for each,
    /// in order, the findings that were not open before, or null when its inventory was removed in the meantime.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<ScannedFinding>?>> StoreMatchesAsync(IReadOnlyList<(string Digest, ImageScanOutcome Outcome)> matches,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var digests = matches.Select(m => m.Digest).Distinct(StringComparer.Ordinal).ToList();
        var existing = (await db.Findings.Where(f => digests.Contains(f.ManifestDigest)).ToListAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(f => f.ManifestDigest, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(f => f.Key, StringComparer.Ordinal), StringComparer.Ordinal);
        var states = await db.MatchStates.Where(s => digests.Contains(s.ManifestDigest)).ToDictionaryAsync(s => s.ManifestDigest, StringComparer.Ordinal, cancellationToken)
            .ConfigureAwait(false);
        var appeared = new List<IReadOnlyList<ScannedFinding>?>(matches.Count);
        foreach (var (digest, outcome) in matches)
        {
            ArgumentNullException.ThrowIfNull(outcome);
            var current = Current(outcome);
            var counts = SeverityCounts.Of(current.Values);
            var warnings = JsonSerializer.Serialize(outcome.Warnings, ScanJsonContext.Default.IReadOnlyListString);

            // Only the match's columns: the stored inventory (the bulk of the row) is neither read nor rewritten.
            var updated = await db.Results.Where(r => r.ManifestDigest == digest).ExecuteUpdateAsync(set => set
                .SetProperty(r => r.MatchedAt, now)
                .SetProperty(r => r.Warnings, warnings)
                .SetProperty(r => r.Critical, counts.Critical)
                .SetProperty(r => r.High, counts.High)
                .SetProperty(r => r.Medium, counts.Medium)
                .SetProperty(r => r.Low, counts.Low)
                .SetProperty(r => r.Unrated, counts.Unrated), cancellationToken).ConfigureAwait(false);
            if (updated == 0)
            {
                // The inventory was removed between listing and storing: nothing to record.
                appeared.Add(null);
                continue;
            }

            appeared.Add(Diff(db, digest, existing.GetValueOrDefault(digest) ?? [], current, now));
            await IndexAsync(db, digest, outcome.Index, states.GetValueOrDefault(digest), false, cancellationToken).ConfigureAwait(false);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return appeared;
    }

    private async Task<IReadOnlyList<ScannedFinding>> StoreAsync(string digest, byte[]? inventory, int packages, ImageScanOutcome outcome,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await db.Results.FirstOrDefaultAsync(r => r.ManifestDigest == digest, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            if (inventory is null)
            {
                // The inventory was removed between listing and matching: nothing to record.
                return [];
            }

            result = new ScanResultEntity { ManifestDigest = digest, Inventory = inventory };
            db.Results.Add(result);
        }

        if (inventory is not null)
        {
            result.Inventory = inventory;
            result.PackageCount = packages;
            result.AnalyzedAt = now;
        }

        result.MatchedAt = now;
        result.Warnings = JsonSerializer.Serialize(outcome.Warnings, ScanJsonContext.Default.IReadOnlyListString);

        var existing = await db.Findings.Where(f => f.ManifestDigest == digest).ToDictionaryAsync(f => f.Key, cancellationToken)
            .ConfigureAwait(false);
        var state = await db.MatchStates.FirstOrDefaultAsync(s => s.ManifestDigest == digest, cancellationToken).ConfigureAwait(false);
        await IndexAsync(db, digest, outcome.Index, state, inventory is not null, cancellationToken).ConfigureAwait(false);
        var current = Current(outcome);
        var appeared = Diff(db, digest, existing, current, now);
        var counts = SeverityCounts.Of(current.Values);
        result.Critical = counts.Critical;
        result.High = counts.High;
        result.Medium = counts.Medium;
        result.Low = counts.Low;
        result.Unrated = counts.Unrated;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return appeared;
    }

    /// <summary>
    /// Keeps the re-match index in step with the match being stored: the image's package keys (written when it has none
    /// yet, or when its inventory was analysed again) and its database state. An image whose match cannot be indexed
    /// loses its rows, so that every later update re-matches it.
    /// </summary>
    private static async Task IndexAsync(ScanDbContext db, string digest, MatchIndexEntry? entry, ScanMatchStateEntity? state, bool newInventory,
        CancellationToken cancellationToken)
    {
        if (entry is not null && state is not null && !newInventory && state.Ecosystems == entry.Ecosystems)
        {
            state.DatabaseState = entry.DatabaseState;
            return;
        }

        if (state is not null || newInventory)
        {
            await db.PackageKeys.Where(k => k.ManifestDigest == digest).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (entry is null)
        {
            if (state is not null)
            {
                db.MatchStates.Remove(state);
            }

            return;
        }

        db.PackageKeys.AddRange(entry.Packages.Select(k => new ScanPackageKeyEntity { ManifestDigest = digest, Ecosystem = k.Ecosystem, Release = k.Release, Name = k.Name }));
        if (state is null)
        {
            db.MatchStates.Add(new ScanMatchStateEntity { ManifestDigest = digest, Ecosystems = entry.Ecosystems, DatabaseState = entry.DatabaseState });
        }
        else
        {
            state.Ecosystems = entry.Ecosystems;
            state.DatabaseState = entry.DatabaseState;
        }
    }

    private static Dictionary<string, ScannedFinding> Current(ImageScanOutcome outcome)
    {
        var current = new Dictionary<string, ScannedFinding>(StringComparer.Ordinal);
        foreach (var finding in outcome.Findings)
        {
            current.TryAdd(finding.Key, finding);
        }

        return current;
    }

    /// <summary>
    /// Adds the findings that are new, reopens those closed before (with a new first-seen time), refreshes the open ones
    /// and closes those no longer found; returns the new and reopened ones.
    /// </summary>
    private static List<ScannedFinding> Diff(ScanDbContext db, string digest, Dictionary<string, ScanFindingEntity> existing,
        Dictionary<string, ScannedFinding> current, DateTimeOffset now)
    {
        var appeared = new List<ScannedFinding>();
        foreach (var (key, finding) in current)
        {
            var severity = finding.Severity.ToString().ToLowerInvariant();
            if (existing.TryGetValue(key, out var row))
            {
                if (row.ResolvedAt is not null)
                {
                    row.ResolvedAt = null;
                    row.FirstSeenAt = now;
                    appeared.Add(finding);
                }

                row.Severity = severity;
                row.Document = finding.Document;
            }
            else
            {
                db.Findings.Add(new ScanFindingEntity
                {
                    ManifestDigest = digest,
                    Key = key,
                    VulnerabilityId = finding.VulnerabilityId,
                    PackageName = finding.PackageName,
                    InstalledVersion = finding.InstalledVersion,
                    Severity = severity,
                    Document = finding.Document,
                    FirstSeenAt = now,
                });
                appeared.Add(finding);
            }
        }

        foreach (var row in existing.Values.Where(r => r.ResolvedAt is null && !current.ContainsKey(r.Key)))
        {
            row.ResolvedAt = now;
        }

        return appeared;
    }

    private readonly record struct SeverityCounts(int Critical, int High, int Medium, int Low, int Unrated)
    {
        public static SeverityCounts Of(IEnumerable<ScannedFinding> findings)
        {
            int critical = 0, high = 0, medium = 0, low = 0, unrated = 0;
            foreach (var finding in findings)
            {
                switch (finding.Severity)
                {
                    case SeverityRating.Critical: critical++; break;
                    case SeverityRating.High: high++; break;
                    case SeverityRating.Medium: medium++; break;
                    case SeverityRating.Low: low++; break;
                    case SeverityRating.None or SeverityRating.Unknown: unrated++; break;
                    default: break;
                }
            }

            return new SeverityCounts(critical, high, medium, low, unrated);
        }
    }
}
