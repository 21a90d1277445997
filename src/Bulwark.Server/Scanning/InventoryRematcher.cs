using System.Diagnostics;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Scanning;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Scanning;

/// <summary>
/// Re-matches every stored inventory against the current advisories — no layer is read again — records findings
/// that appeared (with the time) and closes those that vanished, and tells the <see cref="IScanEventSink"/>s. One
/// <see cref="AdvisorySnapshot"/> serves the whole pass, so each package's advisories are read and parsed once, not once
/// per image.
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
    private const int PageSize = 200;

    public async Task<RematchSummary> RematchAllAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        int images = 0, appeared = 0, failed = 0;
        string? after = null;
        var advisories = new AdvisorySnapshot(advisoryStore);
        while (true)
        {
            var digests = await results.ListDigestsAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            if (digests.Count == 0)
            {
                break;
            }

            foreach (var digest in digests)
            {
                try
                {
                    var inventory = await results.LoadInventoryForMatchingAsync(digest, cancellationToken).ConfigureAwait(false);
                    if (inventory is null)
                    {
                        continue;
                    }

                    var outcome = await scanner.ScanAsync(inventory, advisories, cancellationToken).ConfigureAwait(false);
                    var added = await results.StoreMatchAsync(digest, outcome, cancellationToken).ConfigureAwait(false);
                    images++;
                    if (added.Count > 0)
                    {
                        appeared += added.Count;
                        await PublishAsync(digest, added, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    failed++;
                    LogImageFailed(logger, e, digest);
                }
            }

            after = digests[^1];
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RematchDuration.Record(elapsed.TotalSeconds);
        LogRematched(logger, images, appeared, failed, elapsed.TotalMilliseconds);
        var summary = new RematchSummary(images, appeared, failed, elapsed);
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

    private async Task PublishAsync(string digest, IReadOnlyList<ScannedFinding> added, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var repositories = await db.Jobs.Where(j => j.ManifestDigest == digest).Select(j => j.Repository).Distinct()
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var newFindings = new NewFindingsEvent(digest, [.. repositories.Order(StringComparer.Ordinal)], added, time.GetUtcNow());
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
        Message = "Re-matched {Images} stored inventories: {New} new findings, {Failed} failed, in {Milliseconds} ms")]
    private static partial void LogRematched(ILogger logger, int images, int @new, int failed, double milliseconds);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Error, Message = "Re-match of {Digest} failed")]
    private static partial void LogImageFailed(ILogger logger, Exception exception, string digest);

    [LoggerMessage(EventId = 3032, Level = LogLevel.Error, Message = "Scan event sink {Sink} failed")]
    private static partial void LogSinkFailed(ILogger logger, Exception exception, string sink);
}
