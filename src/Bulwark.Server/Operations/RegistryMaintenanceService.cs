using Bulwark.Registry;
using Bulwark.Registry.GarbageCollection;
using Bulwark.Registry.Metadata;
using Bulwark.Server.Configuration;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Operations;

/// <summary>Scheduled housekeeping: garbage collection (which also expires abandoned uploads) and storage gauges.</summary>
public sealed partial class RegistryMaintenanceService(
    GarbageCollector collector,
    IDbContextFactory<RegistryDbContext> dbFactory,
    RegistryMetrics metrics,
    ServerOptions options,
    TimeProvider time,
    ILogger<RegistryMaintenanceService> logger) : BackgroundService
{
    private static readonly TimeSpan GaugeInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gcInterval = options.Registry.GcInterval;
        var nextGc = gcInterval > TimeSpan.Zero ? time.GetUtcNow() + gcInterval : DateTimeOffset.MaxValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextGc)
                {
                    var report = await collector.CollectAsync(dryRun: false, stoppingToken);
                    LogCollected(logger, report.Manifests.Count, report.Blobs.Count, report.BytesFreed, report.ExpiredUploads);
                    nextGc = time.GetUtcNow() + gcInterval;
                }

                await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                var bytes = await db.Blobs.SumAsync(b => (long?)b.Size, stoppingToken) ?? 0;
                var count = await db.Blobs.LongCountAsync(stoppingToken);
                var uploads = await db.UploadSessions.LongCountAsync(stoppingToken);
                metrics.SetUsage(bytes, count, uploads);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }

            try
            {
                await Task.Delay(GaugeInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Garbage collection removed {Manifests} manifests and {Blobs} blobs ({Bytes} bytes), expired {Uploads} uploads")]
    private static partial void LogCollected(ILogger logger, int manifests, int blobs, long bytes, int uploads);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Registry maintenance failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
