using System.Diagnostics;
using System.Threading.Channels;
using Bulwark.Analysis.Inventory;
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
/// moves. One <see cref="AdvisorySnapshot"/> serves the whole pass, so each package's advisories are read and parsed
/// once, not once per image.
/// </summary>
/// <remarks>
/// Images go a page at a time through two stages that overlap: matching (read the page's matching inputs — a few KiB
/// each, <see cref="ScanMatchInputEntity"/> — decode and match them on every core) and storing (one writer, one
/// transaction per page). Matching runs at most <see cref="PagesAhead"/> pages ahead of storing, so memory is bounded
/// by the page size whatever the number of stored images. An image whose outcome is the stored one has nothing written
/// but its match time (<see cref="ScanMatchOutcomeEntity"/>). Events follow in digest order, as if the images had been
/// done one by one.
/// </remarks>
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
    /// <summary>Images per page: listed in one query, read in one or two, stored in one transaction.</summary>
    private const int PageSize = 100;

    /// <summary>Matched pages that may wait for the writer while the next one is matched.</summary>
    private const int PagesAhead = 1;

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
        var advisories = new AdvisorySnapshot(advisoryStore);
        await advisories.LoadPackageKeysAsync(cancellationToken).ConfigureAwait(false);
        var selection = changedPackages is null ? null : await SelectionAsync(advisories, changedPackages, cancellationToken).ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pages = Channel.CreateBounded<MatchedPage>(new BoundedChannelOptions(PagesAhead) { SingleReader = true, SingleWriter = true });
        var matching = Task.Run(() => MatchPagesAsync(pages.Writer, advisories, selection, stop.Token), stop.Token);
        var totals = new Totals();
        try
        {
            await foreach (var page in pages.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await StorePageAsync(page, totals, stop.Token).ConfigureAwait(false);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await matching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        // Rethrows what stopped the matching stage, if anything did.
        await matching.ConfigureAwait(false);

        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RematchDuration.Record(elapsed.TotalSeconds);
        LogRematched(logger, totals.Images, totals.Unaffected, totals.Unchanged, totals.Appeared, totals.Failed, elapsed.TotalMilliseconds);
        var summary = new RematchSummary(totals.Images, totals.Appeared, totals.Failed, elapsed) { Unaffected = totals.Unaffected, Unchanged = totals.Unchanged };
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
    /// What selects the images an update cannot have changed: the changed keys and the ecosystems the database covers.
    /// Null — match everything — when the database is empty or stale (every image's warnings say so, with the time).
    /// </summary>
    private static async Task<Selection?> SelectionAsync(AdvisorySnapshot advisories,
        IReadOnlySet<(string Ecosystem, string Release, string Name)> changedPackages, CancellationToken cancellationToken)
    {
        var status = await advisories.GetStatusAsync(InventoryScannerOptions.Default.MaxDatabaseAge, cancellationToken).ConfigureAwait(false);
        if (status.IsEmpty || status.IsStale)
        {
            return null;
        }

        var covered = (await advisories.GetEcosystemsAsync(cancellationToken).ConfigureAwait(false)).Select(e => e.ToString()).ToHashSet(StringComparer.Ordinal);
        return new Selection(changedPackages, covered);
    }

    /// <summary>
    /// Those of a page's images the update cannot have changed: indexed, none of their package keys among the changed
    /// ones, and the database, for their warnings, in the state they were matched in (fresh, with the same uncovered
    /// ecosystems).
    /// </summary>
    private async Task<HashSet<string>> UnaffectedAsync(IReadOnlyList<string> digests, Selection selection, CancellationToken cancellationToken)
    {
        var states = await results.LoadMatchStatesAsync(digests, cancellationToken).ConfigureAwait(false);
        if (states.Count == 0)
        {
            return [];
        }

        var holding = await results.FindImagesHoldingAsync([.. states.Keys], selection.Changed, cancellationToken).ConfigureAwait(false);
        return [.. states.Where(s => !holding.Contains(s.Key) && s.Value.DatabaseState == MatchIndexEntry.FreshStateOf(s.Value.Ecosystems, selection.Covered))
            .Select(s => s.Key)];
    }

    /// <summary>The matching stage: pages in digest order, each decoded and matched on every core, handed to the writer.</summary>
    private async Task MatchPagesAsync(ChannelWriter<MatchedPage> pages, AdvisorySnapshot advisories, Selection? selection,
        CancellationToken cancellationToken)
    {
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
            string? after = null;
            while (true)
            {
                var digests = await results.ListDigestsAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
                if (digests.Count == 0)
                {
                    return;
                }

                after = digests[^1];
                var unaffected = selection is null ? [] : await UnaffectedAsync(digests, selection, cancellationToken).ConfigureAwait(false);
                var inputs = await results.ReadMatchInputsAsync(unaffected.Count == 0 ? digests : [.. digests.Where(d => !unaffected.Contains(d))],
                    cancellationToken).ConfigureAwait(false);
                var decoded = new ImageInventory?[inputs.Count];
                Parallel.For(0, inputs.Count, parallel, i =>
                {
                    try
                    {
                        decoded[i] = Decode(inputs[i]);
                    }
                    catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                    {
                        LogImageFailed(logger, e, inputs[i].Digest);
                    }
                });

                await PreloadAsync(advisories, decoded, cancellationToken).ConfigureAwait(false);
                var matched = new RematchedImage?[inputs.Count];
                await Parallel.ForAsync(0, inputs.Count, parallel, async (i, token) =>
                {
                    if (decoded[i] is not { } inventory)
                    {
                        return;
                    }

                    try
                    {
                        matched[i] = await MatchAsync(inputs[i], inventory, advisories, token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                    {
                        LogImageFailed(logger, e, inputs[i].Digest);
                    }
                }).ConfigureAwait(false);

                await pages.WriteAsync(new MatchedPage([.. digests.Where(unaffected.Contains)], [.. matched.OfType<RematchedImage>()],
                    matched.Count(m => m is null)), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            pages.TryComplete();
        }
    }

    /// <summary>A stored image's matching input, decoded (the whole inventory, less what matching never reads, for an image stored before inputs existed).</summary>
    private static ImageInventory Decode(StoredInventory stored) =>
        stored.IsMatchInput ? InventoryCodec.Decode(stored.Inventory) : InventoryCodec.DecodeForMatching(stored.Inventory);

    /// <summary>
    /// The candidate advisories of every package key of the page read in one query (or a few), not one per key at its
    /// first lookup. Should it fail, the lookups read them one by one as before.
    /// </summary>
    private async Task PreloadAsync(AdvisorySnapshot advisories, ImageInventory?[] decoded, CancellationToken cancellationToken)
    {
        try
        {
            await advisories.PreloadAsync(decoded.OfType<ImageInventory>().SelectMany(InventoryScanner.PackageKeys), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogPreloadFailed(logger, e);
        }
    }

    /// <summary>Matches one stored image; one stored before matching inputs existed also gets its input made, to be stored.</summary>
    private async Task<RematchedImage> MatchAsync(StoredInventory stored, ImageInventory inventory, AdvisorySnapshot advisories, CancellationToken cancellationToken)
    {
        var outcome = await scanner.ScanAsync(inventory, advisories, cancellationToken).ConfigureAwait(false);
        return new RematchedImage(stored.Digest, outcome, stored.IsMatchInput ? null : InventoryCodec.EncodeForMatching(inventory));
    }

    /// <summary>The storing stage for one page: one transaction, then the events of the images with new findings, in digest order.</summary>
    private async Task StorePageAsync(MatchedPage page, Totals totals, CancellationToken cancellationToken)
    {
        totals.Unaffected += page.Unaffected.Count;
        totals.Failed += page.Failed;
        var stored = await StoreAsync(page.Matched, page.Unaffected, cancellationToken).ConfigureAwait(false);
        var repositories = await RepositoriesAsync([.. stored.Where(s => s.Stored is { Appeared.Count: > 0 }).Select(s => s.Digest)], cancellationToken)
            .ConfigureAwait(false);
        foreach (var (digest, result) in stored)
        {
            if (result is not { } done)
            {
                totals.Failed++;
                continue;
            }

            if (done.Appeared is not { } added)
            {
                // Removed since it was read: nothing recorded, not counted.
                continue;
            }

            totals.Images++;
            totals.Unchanged += done.Rewritten ? 0 : 1;
            if (added.Count > 0)
            {
                totals.Appeared += added.Count;
                await PublishAsync(digest, repositories.GetValueOrDefault(digest) ?? [], added, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One transaction for the page; should it fail (e.g. a scan-on-push storing one of these images at the same time),
    /// each image is stored on its own so that one bad image costs only itself. Stored is null for an image that failed.
    /// </summary>
    private async Task<IReadOnlyList<(string Digest, StoredRematch? Stored)>> StoreAsync(IReadOnlyList<RematchedImage> matched,
        IReadOnlyList<string> unaffected, CancellationToken cancellationToken)
    {
        if (matched.Count == 0 && unaffected.Count == 0)
        {
            return [];
        }

        try
        {
            var stored = await results.StoreMatchesAsync(matched, unaffected, cancellationToken).ConfigureAwait(false);
            return [.. matched.Zip(stored, (m, s) => (m.Digest, (StoredRematch?)s))];
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogPageFailed(logger, e, matched.Count + unaffected.Count);
        }

        await results.MarkMatchedAsync(unaffected, cancellationToken).ConfigureAwait(false);
        var one = new List<(string, StoredRematch?)>(matched.Count);
        foreach (var image in matched)
        {
            try
            {
                one.Add((image.Digest, new StoredRematch(await results.StoreMatchAsync(image.Digest, image.Outcome, cancellationToken).ConfigureAwait(false), true)));
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogImageFailed(logger, e, image.Digest);
                one.Add((image.Digest, null));
            }
        }

        return one;
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
        Message = "Re-matched {Images} stored inventories ({Unaffected} unaffected by the update, {Unchanged} with the same outcome): {New} new findings, {Failed} failed, in {Milliseconds} ms")]
    private static partial void LogRematched(ILogger logger, int images, int unaffected, int unchanged, int @new, int failed, double milliseconds);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Error, Message = "Re-match of {Digest} failed")]
    private static partial void LogImageFailed(ILogger logger, Exception exception, string digest);

    [LoggerMessage(EventId = 3033, Level = LogLevel.Warning, Message = "Storing a page of {Images} re-matched images failed; storing them one by one")]
    private static partial void LogPageFailed(ILogger logger, Exception exception, int images);

    [LoggerMessage(EventId = 3034, Level = LogLevel.Warning, Message = "Reading a page's advisories in one query failed; reading them package by package")]
    private static partial void LogPreloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3032, Level = LogLevel.Error, Message = "Scan event sink {Sink} failed")]
    private static partial void LogSinkFailed(ILogger logger, Exception exception, string sink);

    private sealed record Selection(IReadOnlySet<(string Ecosystem, string Release, string Name)> Changed, IReadOnlySet<string> Covered);

    /// <summary>One matched page: the images found unaffected (only their match time moves), the matched ones, and how many failed.</summary>
    private sealed record MatchedPage(IReadOnlyList<string> Unaffected, IReadOnlyList<RematchedImage> Matched, int Failed);

    /// <summary>The running counts of a pass, kept by the storing stage alone.</summary>
    private sealed class Totals
    {
        public int Images { get; set; }

        public int Unaffected { get; set; }

        public int Unchanged { get; set; }

        public int Appeared { get; set; }

        public int Failed { get; set; }
    }
}
