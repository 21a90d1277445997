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
    public async Task<bool> HasInventoryAsync(string digest, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Results.AnyAsync(r => r.ManifestDigest == digest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A stored inventory as matching needs it (<see cref="InventoryCodec.DecodeForMatching"/>: no file lists or executables).</summary>
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

    /// <summary>Digests of stored inventories after <paramref name="after"/> in ordinal order, for paging through all of them.</summary>
    public async Task<IReadOnlyList<string>> ListDigestsAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Results.AsNoTracking().Select(r => r.ManifestDigest);
        if (after is not null)
        {
            query = query.Where(d => string.Compare(d, after) > 0);
        }

        return await query.OrderBy(d => d).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
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
        var current = new Dictionary<string, ScannedFinding>(StringComparer.Ordinal);
        foreach (var finding in outcome.Findings)
        {
            current.TryAdd(finding.Key, finding);
        }

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

        var ratings = current.Values.Select(f => f.Severity).ToList();
        result.Critical = ratings.Count(r => r == SeverityRating.Critical);
        result.High = ratings.Count(r => r == SeverityRating.High);
        result.Medium = ratings.Count(r => r == SeverityRating.Medium);
        result.Low = ratings.Count(r => r == SeverityRating.Low);
        result.Unrated = ratings.Count(r => r is SeverityRating.None or SeverityRating.Unknown);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return appeared;
    }
}
