using System.Diagnostics;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Scanning;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Scanning;

/// <summary>
/// Re-matches stored inventories against the current advisories — no layer is read again — records findings
/// that appeared (with the time) and closes those that vanished, and tells the <see cref="IScanEventSink"/>s. Given the
/// package keys an update changed, only the images holding one of them (per the re-match index,
/// <see cref="ScanPackageKeyEntity"/>) are matched again, with those not indexed yet and those whose warnings would
/// change (the database's state for them differs); the others keep their findings untouched and only their match time
/// moves. One
/// <see cref="AdvisorySnapshot"/> serves the whole pass, so each package's advisories are read and parsed once, not once
/// per image. Inventories are read a page at a time, decoded and matched on every core, and each page's results are
/// stored in one transaction; events follow in digest order, as if the images had been done one by one.
/// </summary>
public sealed partial class InventoryRematcher(
    ScanResultStore results,
    IImageScanner scanner,
    AdvisoryStore advisoryStore,
    IDbContextFactory<ScanDbContext> dbFactory,
    IEnumerable<IScanEventSink> sinks,
    ScanMetrics metrics,
    TimeProvider time,
    ILogger<InventoryRematcher> logger)
{
    /// <summary>Images per page: read in one query, stored in one transaction (≈90 KiB compressed each).</summary>
    private const int PageSize = 100;

    /// <summary>Re-matches every stored inventory (no change set known: a first import, or a forced update).</summary>
    public Task<RematchSummary> RematchAllAsync(CancellationToken cancellationToken) => RematchAsync(null, cancellationToken);

    /// <summary>
    /// Re-matches the stored inventories an update can have changed: those holding a package with one of
    /// <paramref name="changedPackages"/> (ecosystem, release, normalized name — <see cref="AdvisoryChangeSet.Packages"/>),
    /// or every one when it is null.
    /// </summary>
    public async Task<RematchSummary> RematchAsync(IReadOnlySet<(string Ecosystem, string Release, string Name)>? changedPackages,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        int images = 0, appeared = 0, failed = 0, unaffected = 0;
        string? after = null;
        var advisories = new AdvisorySnapshot(advisoryStore);
        await advisories.LoadPackageKeysAsync(cancellationToken).ConfigureAwait(false);
        var skip = changedPackages is null ? null : await UnaffectedAsync(advisories, changedPackages, cancellationToken).ConfigureAwait(false);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        while (true)
        {
            var digests = await results.ListDigestsAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            if (digests.Count == 0)
            {
                break;
            }

            after = digests[^1];
            var skipped = skip is null ? [] : digests.Where(skip.Contains).ToList();
            await results.MarkMatchedAsync(skipped, cancellationToken).ConfigureAwait(false);
            unaffected += skipped.Count;
            var page = await results.ReadInventoriesAsync(skipped.Count == 0 ? digests : [.. digests.Where(d => !skip!.Contains(d))], cancellationToken)
                .ConfigureAwait(false);
            if (page.Count == 0)
            {
                continue;
            }

            var outcomes = new ImageScanOutcome?[page.Count];
            await Parallel.ForAsync(0, page.Count, parallel, async (i, token) =>
            {
                try
                {
                    var inventory = InventoryCodec.DecodeForMatching(page[i].Inventory);
                    outcomes[i] = await scanner.ScanAsync(inventory, advisories, token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    LogImageFailed(logger, e, page[i].Digest);
                }
            }).ConfigureAwait(false);

            var matched = page.Zip(outcomes).Where(m => m.Second is not null).Select(m => (m.First.Digest, m.Second!)).ToList();
            failed += page.Count - matched.Count;
            var stored = await StoreAsync(matched, cancellationToken).ConfigureAwait(false);
            var repositories = await RepositoriesAsync([.. stored.Where(s => s.Added is { Count: > 0 }).Select(s => s.Digest)], cancellationToken)
                .ConfigureAwait(false);
            foreach (var (digest, added) in stored)
            {
                if (added is null)
                {
                    failed++;
                    continue;
                }

                images++;
                if (added.Count > 0)
                {
                    appeared += added.Count;
                    await PublishAsync(digest, repositories.GetValueOrDefault(digest) ?? [], added, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RematchDuration.Record(elapsed.TotalSeconds);
        LogRematched(logger, images, unaffected, appeared, failed, elapsed.TotalMilliseconds);
        var summary = new RematchSummary(images, appeared, failed, elapsed) { Unaffected = unaffected };
        foreach (var sink in sinks)
        {
            try
            {
                await sink.RematchFinishedAsync(summary, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogSinkFailed(logger, e, sink.GetType().Name);
            }
        }

        return summary;
    }

    /// <summary>
    /// The indexed images the update cannot have changed: none of their package keys is among the changed ones, and the
    /// database is, for their warnings, in the state they were matched in (fresh, with the same uncovered ecosystems).
    /// Null — match everything — when the database is empty or stale (every image's warnings say so, with the time).
    /// </summary>
    private async Task<HashSet<string>?> UnaffectedAsync(AdvisorySnapshot advisories,
        IReadOnlySet<(string Ecosystem, string Release, string Name)> changedPackages, CancellationToken cancellationToken)
    {
        var status = await advisories.GetStatusAsync(InventoryScannerOptions.Default.MaxDatabaseAge, cancellationToken).ConfigureAwait(false);
        if (status.IsEmpty || status.IsStale)
        {
            return null;
        }

        var covered = (await advisories.GetEcosystemsAsync(cancellationToken).ConfigureAwait(false)).Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal);
        var states = await results.LoadMatchStatesAsync(cancellationToken).ConfigureAwait(false);
        var affected = changedPackages.Count == 0 ? new HashSet<string>() : await results.FindImagesHoldingAsync(changedPackages, cancellationToken).ConfigureAwait(false);
        return [.. states.Where(s => !affected.Contains(s.Key) && s.Value.DatabaseState == MatchIndexEntry.FreshStateOf(s.Value.Ecosystems, covered)).Select(s => s.Key)];
    }

    /// <summary>
    /// One transaction for the page; should it fail (e.g. a scan-on-push storing one of these images at the same time),
    /// each image is stored on its own so that one bad image costs only itself. Added is null for an image that failed.
    /// </summary>
    private async Task<IReadOnlyList<(string Digest, IReadOnlyList<ScannedFinding>? Added)>> StoreAsync(List<(string Digest, ImageScanOutcome Outcome)> matched,
        CancellationToken cancellationToken)
    {
        if (matched.Count == 0)
        {
            return [];
        }

        try
        {
            var added = await results.StoreMatchesAsync(matched, cancellationToken).ConfigureAwait(false);
            // An inventory removed since it was read has nothing to record (and is not counted).
            return [.. matched.Zip(added).Where(m => m.Second is not null).Select(m => (m.First.Digest, m.Second))];
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogPageFailed(logger, e, matched.Count);
        }

        var stored = new List<(string, IReadOnlyList<ScannedFinding>?)>(matched.Count);
        foreach (var (digest, outcome) in matched)
        {
            try
            {
                stored.Add((digest, await results.StoreMatchAsync(digest, outcome, cancellationToken).ConfigureAwait(false)));
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogImageFailed(logger, e, digest);
                stored.Add((digest, null));
            }
        }

        return stored;
    }

    /// <summary>The repositories that hold each image (its scan jobs), sorted, for the images that have new findings.</summary>
    private async Task<Dictionary<string, IReadOnlyList<string>>> RepositoriesAsync(List<string> digests, CancellationToken cancellationToken)
    {
        if (digests.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Jobs.Where(j => digests.Contains(j.ManifestDigest)).Select(j => new { j.ManifestDigest, j.Repository }).Distinct()
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(r => r.ManifestDigest, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<string>)[.. g.Select(r => r.Repository).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            StringComparer.Ordinal);
    }

    private async Task PublishAsync(string digest, IReadOnlyList<string> repositories, IReadOnlyList<ScannedFinding> added,
        CancellationToken cancellationToken)
    {
        var newFindings = new NewFindingsEvent(digest, repositories, added, time.GetUtcNow());
        foreach (var sink in sinks)
        {
            try
            {
                await sink.NewFindingsAsync(newFindings, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogSinkFailed(logger, e, sink.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information,
        Message = "Re-matched {Images} stored inventories ({Unaffected} unaffected by the update): {New} new findings, {Failed} failed, in {Milliseconds} ms")]
    private static partial void LogRematched(ILogger logger, int images, int unaffected, int @new, int failed, double milliseconds);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Error, Message = "Re-match of {Digest} failed")]
    private static partial void LogImageFailed(ILogger logger, Exception exception, string digest);

    [LoggerMessage(EventId = 3033, Level = LogLevel.Warning, Message = "Storing a page of {Images} re-matched images failed; storing them one by one")]
    private static partial void LogPageFailed(ILogger logger, Exception exception, int images);

    [LoggerMessage(EventId = 3032, Level = LogLevel.Error, Message = "Scan event sink {Sink} failed")]
    private static partial void LogSinkFailed(ILogger logger, Exception exception, string sink);
}
