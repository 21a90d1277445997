using System.Diagnostics;
using System.Threading.Channels;
using Bulwark.Server.Configuration;

namespace Bulwark.Server.Scanning;

/// <summary>
/// The worker pool: <see cref="ScanningSettings.Concurrency"/> loops that claim due jobs, scan them under a lease
/// renewed by a heartbeat, and record the outcome (done; pending again after a backoff; failed after the last
/// attempt). Idle loops wake on a push in this server or every <see cref="ScanningSettings.PollInterval"/>.
/// </summary>
public sealed partial class ScanWorkerService(
    ScanJobStore queue,
    IServiceProvider services,
    ScanMetrics metrics,
    ServerOptions options,
    TimeProvider time,
    IEnumerable<IScanEventSink> sinks,
    ILogger<ScanWorkerService> logger) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly string _instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Scanning;
        if (!settings.Enabled)
        {
            return;
        }

        queue.JobQueued += Wake;
        try
        {
            var loops = Enumerable.Range(0, Math.Max(1, settings.Concurrency)).Select(i => RunLoopAsync($"{_instance}/{i}", stoppingToken));
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        finally
        {
            queue.JobQueued -= Wake;
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task RunLoopAsync(string owner, CancellationToken stoppingToken)
    {
        // Let the host finish starting before the first database round trip.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var job = await queue.ClaimAsync(owner, stoppingToken).ConfigureAwait(false);
                if (job is null)
                {
                    metrics.SetQueueDepth(await queue.CountPendingAsync(stoppingToken).ConfigureAwait(false));
                    await WaitAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }

                // Another loop may find work too.
                Wake();
                await RunJobAsync(job, owner, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is unreachable or similar: log, back off, keep the loop alive.
                LogLoopFailed(logger, e);
                await WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.Scanning.PollInterval);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Poll interval elapsed.
        }
    }

    private async Task RunJobAsync(ScanJobEntity job, string owner, CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var scanCancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = HeartbeatAsync(job.Id, owner, scanCancellation);
        try
        {
            using var scope = services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<ImageScanService>().ProcessAsync(job, scanCancellation.Token).ConfigureAwait(false);
            await queue.CompleteAsync(job.Id, owner, CancellationToken.None).ConfigureAwait(false);
            metrics.Scans.Add(1, new KeyValuePair<string, object?>("outcome", "done"));
            metrics.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            LogDone(logger, job.Repository, job.ManifestDigest, job.Attempts);
            await PublishFinishedAsync(new ScanFinishedEvent(job.Repository, job.ManifestDigest, null), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and another worker (or this one after a restart) takes the job over.
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var lost = scanCancellation.IsCancellationRequested;
            var message = lost ? "the lease on this job was lost (taken over by another worker)" : e.Message;
            var status = await queue.FailAsync(job, owner, message, permanent: e is ScanJobException, CancellationToken.None).ConfigureAwait(false);
            metrics.Scans.Add(1, new KeyValuePair<string, object?>("outcome", status == ScanStatus.Failed ? "failed" : "retry"));
            LogFailed(logger, e, job.Repository, job.ManifestDigest, job.Attempts, status);
            if (status == ScanStatus.Failed)
            {
                await PublishFinishedAsync(new ScanFinishedEvent(job.Repository, job.ManifestDigest, message), stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await scanCancellation.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }
    }

    private async Task PublishFinishedAsync(ScanFinishedEvent finished, CancellationToken stoppingToken)
    {
        foreach (var sink in sinks)
        {
            try
            {
                await sink.ScanFinishedAsync(finished, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogSinkFailed(logger, e, sink.GetType().Name);
            }
        }
    }

    private async Task HeartbeatAsync(long id, string owner, CancellationTokenSource scan)
    {
        var period = options.Scanning.LeaseDuration / 3;
        using var timer = new PeriodicTimer(period > TimeSpan.Zero ? period : TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(scan.Token).ConfigureAwait(false))
            {
                if (!await queue.RenewLeaseAsync(id, owner, scan.Token).ConfigureAwait(false))
                {
                    // Someone else holds the job now: stop working on it.
                    await scan.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The scan ended.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogHeartbeatFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Scanned {Repository}@{Digest} (attempt {Attempt})")]
    private static partial void LogDone(ILogger logger, string repository, string digest, int attempt);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Scan of {Repository}@{Digest} failed (attempt {Attempt}); now {Status}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string repository, string digest, int attempt, ScanStatus status);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Error, Message = "Scan worker loop failed; retrying after the poll interval")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "Scan event sink {Sink} failed")]
    private static partial void LogSinkFailed(ILogger logger, Exception exception, string sink);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Error, Message = "Scan lease heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}
