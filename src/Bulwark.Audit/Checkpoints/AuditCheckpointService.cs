using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Audit.Checkpoints;

/// <summary>Signs a checkpoint every <see cref="AuditOptions.CheckpointInterval"/> when the log has grown.</summary>
public sealed partial class AuditCheckpointService(
    AuditCheckpoints checkpoints,
    AuditOptions options,
    TimeProvider time,
    ILogger<AuditCheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.CheckpointInterval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.CheckpointInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (await checkpoints.CreateAsync(stoppingToken).ConfigureAwait(false) is { } checkpoint)
                {
                    LogSigned(logger, checkpoint.Sequence, checkpoint.HeadHash);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Audit checkpoint at sequence {Sequence} ({HeadHash})")]
    private static partial void LogSigned(ILogger logger, long sequence, string headHash);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Signing an audit checkpoint failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
