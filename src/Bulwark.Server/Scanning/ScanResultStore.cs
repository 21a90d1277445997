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
        return StoreAsync(digest, InventoryCodec.Encode(inventory), InventoryCodec.EncodeForMatching(inventory), inventory.Packages.Count, outcome,
            cancellationToken);
    }

    /// <summary>Stores a re-match of a stored inventory; returns the findings that were not open before.</summary>
    public Task<IReadOnlyList<ScannedFinding>> StoreMatchAsync(string digest, ImageScanOutcome outcome, CancellationToken cancellationToken) =>
        StoreAsync(digest, null, null, 0, outcome, cancellationToken);

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

    /// <summary>
    /// What a re-match reads of these images, in ordinal digest order: the matching input of each (a few KiB), or the whole
    /// stored inventory (still compressed) of an image that has none yet; removed images are left out.
    /// </summary>
    public async Task<IReadOnlyList<StoredInventory>> ReadMatchInputsAsync(IReadOnlyList<string> digests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        if (digests.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var inputs = await db.MatchInputs.AsNoTracking().Where(i => digests.Contains(i.ManifestDigest)).Select(i => new { i.ManifestDigest, i.Inventory })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var read = inputs.Select(i => new StoredInventory(i.ManifestDigest, i.Inventory, true)).ToList();
        if (read.Count < digests.Count)
        {
            var have = read.Select(i => i.Digest).ToHashSet(StringComparer.Ordinal);
            var missing = digests.Where(d => !have.Contains(d)).ToList();
            var whole = await db.Results.AsNoTracking().Where(r => missing.Contains(r.ManifestDigest)).Select(r => new { r.ManifestDigest, r.Inventory })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            read.AddRange(whole.Select(r => new StoredInventory(r.ManifestDigest, r.Inventory)));
        }

        return [.. read.OrderBy(r => r.Digest, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The re-match index's state (<see cref="ScanMatchStateEntity"/>: ecosystems and database state) of those of these
    /// images that are indexed, by digest.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, (string Ecosystems, string DatabaseState)>> LoadMatchStatesAsync(IReadOnlyList<string> digests,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.MatchStates.AsNoTracking().Where(s => digests.Contains(s.ManifestDigest)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.ManifestDigest, r => (r.Ecosystems, r.DatabaseState), StringComparer.Ordinal);
    }

    /// <summary>Those of these images whose index holds a package with one of these keys (ecosystem, release, normalized name).</summary>
    public async Task<IReadOnlySet<string>> FindImagesHoldingAsync(IReadOnlyList<string> digests,
        IReadOnlySet<(string Ecosystem, string Release, string Name)> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(packages);
        var images = new HashSet<string>(StringComparer.Ordinal);
        if (digests.Count == 0 || packages.Count == 0)
        {
            return images;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var keys = db.PackageKeys.AsNoTracking().Where(k => digests.Contains(k.ManifestDigest));
        var names = packages.Select(p => p.Name).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count <= NamesPerQuery)
        {
            // A usual update names a few hundred packages: the images' keys with those names, one query.
            keys = keys.Where(k => names.Contains(k.Name));
        }

        // Otherwise (a first import of a whole feed) every key of these images, which is bounded by the page.
        var rows = keys.Select(k => new { k.ManifestDigest, k.Ecosystem, k.Release, k.Name }).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (packages.Contains((row.Ecosystem, row.Release, row.Name)))
            {
                images.Add(row.ManifestDigest);
            }
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

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await MarkMatchedAsync(db, digests, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores a page of a re-match in one transaction (one commit, not one per image): the match time of the images the
    /// update left unaffected (<paramref name="unaffected"/>), and each re-matched image's outcome. An image whose outcome
    /// hashes as its stored one (<see cref="ScanMatchOutcomeEntity"/>) has nothing else written, and none of its findings is
    /// read; the others are diffed against their findings. In order, what was stored for each of <paramref name="matches"/>.
    /// </summary>
    public async Task<IReadOnlyList<StoredRematch>> StoreMatchesAsync(IReadOnlyList<RematchedImage> matches, IReadOnlyList<string> unaffected,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(unaffected);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await MarkMatchedAsync(db, unaffected, now, cancellationToken).ConfigureAwait(false);
        var digests = matches.Select(m => m.Digest).Distinct(StringComparer.Ordinal).ToList();
        var stored = digests.Count == 0 ? [] : (await db.Results.Where(r => digests.Contains(r.ManifestDigest)).Select(r => r.ManifestDigest)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var outcomes = digests.Count == 0 ? [] : await db.MatchOutcomes.Where(o => digests.Contains(o.ManifestDigest))
            .ToDictionaryAsync(o => o.ManifestDigest, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        var states = digests.Count == 0 ? [] : await db.MatchStates.Where(s => digests.Contains(s.ManifestDigest))
            .ToDictionaryAsync(s => s.ManifestDigest, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);

        var plans = matches.Select(m =>
        {
            ArgumentNullException.ThrowIfNull(m.Outcome);
            var current = Current(m.Outcome);
            var outcome = MatchOutcome.Of(current, JsonSerializer.Serialize(m.Outcome.Warnings, ScanJsonContext.Default.IReadOnlyListString));
            var same = outcomes.GetValueOrDefault(m.Digest)?.Sha256 == outcome.Sha256 && IsIndexed(m.Outcome.Index, states.GetValueOrDefault(m.Digest));
            return (Match: m, Current: current, Outcome: outcome, Same: same, Stored: stored.Contains(m.Digest));
        }).ToList();

        // Only the images whose outcome changed have their findings read — keys and state, never a document — and diffed.
        var changed = plans.Where(p => p.Stored && !p.Same).Select(p => p.Match.Digest).Distinct(StringComparer.Ordinal).ToList();
        var existing = await FindingStatesAsync(db, changed, cancellationToken).ConfigureAwait(false);
        await MarkMatchedAsync(db, [.. plans.Where(p => p.Stored && p.Same).Select(p => p.Match.Digest)], now, cancellationToken).ConfigureAwait(false);

        var backfill = plans.Where(p => p.Stored && p.Match.NewMatchInput is not null).Select(p => p.Match.Digest).ToList();
        var haveInput = backfill.Count == 0 ? [] : (await db.MatchInputs.Where(i => backfill.Contains(i.ManifestDigest)).Select(i => i.ManifestDigest)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);

        var results = new List<StoredRematch>(plans.Count);
        foreach (var (match, current, outcome, same, present) in plans)
        {
            if (!present)
            {
                // The inventory was removed between listing and storing: nothing to record.
                results.Add(new StoredRematch(null, false));
                continue;
            }

            if (match.NewMatchInput is { } input && haveInput.Add(match.Digest))
            {
                db.MatchInputs.Add(new ScanMatchInputEntity { ManifestDigest = match.Digest, Inventory = input });
            }

            if (same)
            {
                results.Add(new StoredRematch([], false));
                continue;
            }

            // Only the match's columns: the stored inventory (the bulk of the row) is neither read nor rewritten.
            var counts = SeverityCounts.Of(current.Values);
            var warnings = JsonSerializer.Serialize(match.Outcome.Warnings, ScanJsonContext.Default.IReadOnlyListString);
            await db.Results.Where(r => r.ManifestDigest == match.Digest).ExecuteUpdateAsync(set => set
                .SetProperty(r => r.MatchedAt, now)
                .SetProperty(r => r.Warnings, warnings)
                .SetProperty(r => r.Critical, counts.Critical)
                .SetProperty(r => r.High, counts.High)
                .SetProperty(r => r.Medium, counts.Medium)
                .SetProperty(r => r.Low, counts.Low)
                .SetProperty(r => r.Unrated, counts.Unrated), cancellationToken).ConfigureAwait(false);
            var recorded = outcomes.GetValueOrDefault(match.Digest);
            results.Add(new StoredRematch(Diff(db, match.Digest, existing.GetValueOrDefault(match.Digest) ?? [], Previous(recorded), current, outcome, now), true));
            await IndexAsync(db, match.Digest, match.Outcome.Index, states.GetValueOrDefault(match.Digest), false, cancellationToken).ConfigureAwait(false);
            RecordOutcome(db, match.Digest, recorded, outcome);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    private async Task<IReadOnlyList<ScannedFinding>> StoreAsync(string digest, byte[]? inventory, byte[]? matchInput, int packages,
        ImageScanOutcome outcome, CancellationToken cancellationToken)
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
            var input = await db.MatchInputs.FirstOrDefaultAsync(i => i.ManifestDigest == digest, cancellationToken).ConfigureAwait(false);
            if (input is null)
            {
                db.MatchInputs.Add(new ScanMatchInputEntity { ManifestDigest = digest, Inventory = matchInput! });
            }
            else
            {
                input.Inventory = matchInput!;
            }
        }

        result.MatchedAt = now;
        result.Warnings = JsonSerializer.Serialize(outcome.Warnings, ScanJsonContext.Default.IReadOnlyListString);

        var existing = await FindingStatesAsync(db, [digest], cancellationToken).ConfigureAwait(false);
        var state = await db.MatchStates.FirstOrDefaultAsync(s => s.ManifestDigest == digest, cancellationToken).ConfigureAwait(false);
        await IndexAsync(db, digest, outcome.Index, state, inventory is not null, cancellationToken).ConfigureAwait(false);
        var current = Current(outcome);
        var described = MatchOutcome.Of(current, result.Warnings);
        var recorded = await db.MatchOutcomes.FirstOrDefaultAsync(o => o.ManifestDigest == digest, cancellationToken).ConfigureAwait(false);
        var appeared = Diff(db, digest, existing.GetValueOrDefault(digest) ?? [], Previous(recorded), current, described, now);
        RecordOutcome(db, digest, recorded, described);
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

    /// <summary>Every stored finding of these images — key and resolution time, not the document — by digest, then key.</summary>
    private static async Task<Dictionary<string, Dictionary<string, DateTimeOffset?>>> FindingStatesAsync(ScanDbContext db, List<string> digests,
        CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, Dictionary<string, DateTimeOffset?>>(StringComparer.Ordinal);
        if (digests.Count == 0)
        {
            return states;
        }

        var rows = db.Findings.AsNoTracking().Where(f => digests.Contains(f.ManifestDigest)).Select(f => new { f.ManifestDigest, f.Key, f.ResolvedAt })
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!states.TryGetValue(row.ManifestDigest, out var image))
            {
                states[row.ManifestDigest] = image = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
            }

            image[row.Key] = row.ResolvedAt;
        }

        return states;
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

    private static Task MarkMatchedAsync(ScanDbContext db, IReadOnlyList<string> digests, DateTimeOffset now, CancellationToken cancellationToken) =>
        digests.Count == 0
            ? Task.CompletedTask
            : db.Results.Where(r => digests.Contains(r.ManifestDigest)).ExecuteUpdateAsync(set => set.SetProperty(r => r.MatchedAt, now), cancellationToken);

    /// <summary>Whether the index already holds what storing a match with this entry would write (so nothing needs writing).</summary>
    private static bool IsIndexed(MatchIndexEntry? entry, ScanMatchStateEntity? state) =>
        entry is null ? state is null : state is not null && state.Ecosystems == entry.Ecosystems && state.DatabaseState == entry.DatabaseState;

    private static void RecordOutcome(ScanDbContext db, string digest, ScanMatchOutcomeEntity? recorded, MatchOutcome outcome)
    {
        if (recorded is null)
        {
            db.MatchOutcomes.Add(new ScanMatchOutcomeEntity { ManifestDigest = digest, Sha256 = outcome.Sha256, Findings = outcome.Findings });
        }
        else
        {
            recorded.Sha256 = outcome.Sha256;
            recorded.Findings = outcome.Findings;
        }
    }

    /// <summary>The findings' hashes recorded with the stored outcome; none when it has no record (every open finding is then rewritten).</summary>
    private static IReadOnlyDictionary<string, string> Previous(ScanMatchOutcomeEntity? recorded) =>
        recorded is null ? new Dictionary<string, string>() : MatchOutcome.ParseFindings(recorded.Findings);

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
    /// Adds the findings that are new, reopens those closed before (with a new first-seen time), rewrites the open ones
    /// whose hash moved since <paramref name="previous"/> (all of them when it is unknown) and closes those no longer found;
    /// returns the new and reopened ones. Rows are written without being read: each change is a row with only its key
    /// and the changed columns marked, so an open finding that did not change costs nothing.
    /// </summary>
    private static List<ScannedFinding> Diff(ScanDbContext db, string digest, Dictionary<string, DateTimeOffset?> existing,
        IReadOnlyDictionary<string, string> previous, Dictionary<string, ScannedFinding> current, MatchOutcome outcome, DateTimeOffset now)
    {
        var appeared = new List<ScannedFinding>();
        foreach (var (key, finding) in current)
        {
            var severity = MatchOutcome.StoredSeverity(finding);
            if (!existing.TryGetValue(key, out var resolved))
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
                continue;
            }

            if (resolved is not null)
            {
                var reopened = Update(db, digest, key, severity, finding.Document);
                reopened.Entity.FirstSeenAt = now;
                reopened.Property(r => r.FirstSeenAt).IsModified = true;
                reopened.Property(r => r.ResolvedAt).IsModified = true;
                appeared.Add(finding);
            }
            else if (!previous.TryGetValue(key, out var hash) || hash != outcome.FindingHashes[key])
            {
                Update(db, digest, key, severity, finding.Document);
            }
        }

        foreach (var (key, resolved) in existing)
        {
            if (resolved is null && !current.ContainsKey(key))
            {
                var closed = db.Findings.Attach(Row(digest, key));
                closed.Entity.ResolvedAt = now;
                closed.Property(r => r.ResolvedAt).IsModified = true;
            }
        }

        return appeared;

        static Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<ScanFindingEntity> Update(ScanDbContext db, string digest, string key, string severity,
            string document)
        {
            var row = db.Findings.Attach(Row(digest, key));
            row.Entity.Severity = severity;
            row.Entity.Document = document;
            row.Property(r => r.Severity).IsModified = true;
            row.Property(r => r.Document).IsModified = true;
            return row;
        }

        // A stand-in for a stored row: only its key is real, and only the columns marked modified are written.
        static ScanFindingEntity Row(string digest, string key) => new()
        {
            ManifestDigest = digest,
            Key = key,
            VulnerabilityId = string.Empty,
            PackageName = string.Empty,
            InstalledVersion = string.Empty,
            Severity = string.Empty,
            Document = string.Empty,
        };
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
