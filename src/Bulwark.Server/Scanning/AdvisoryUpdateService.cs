using Bulwark.Audit.Records;
using Bulwark.Server.Configuration;

namespace Bulwark.Server.Scanning;

/// <summary>The scheduled advisory update: at start and then every interval, when sources are configured.</summary>
public sealed partial class AdvisoryUpdateService(AdvisoryUpdater updater, ServerOptions options, TimeProvider time,
    ILogger<AdvisoryUpdateService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Scanning.Advisories;
        if (settings.Sources.Count == 0 || settings.Interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await updater.UpdateAsync(settings.Sources, AuditActor.System, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogFailed(logger, e);
            }

            try
            {
                await Task.Delay(settings.Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 3042, Level = LogLevel.Error, Message = "Scheduled advisory update failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
