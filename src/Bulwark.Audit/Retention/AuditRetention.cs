using Bulwark.Audit.Checkpoints;
using Bulwark.Audit.Export;
using Bulwark.Audit.Records;
using Bulwark.Audit.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bulwark.Audit.Retention;

/// <summary>
/// Archive-and-purge. The oldest records, up to the first one at or after the cutoff, are written to an
/// archive (an export ending with a signed checkpoint at the last archived record), and only then deleted;
/// the first remaining record's previousHash is that checkpoint's hash, so the rest of the chain stays
/// verifiable from the archive. The newest record is never purged, so the chain always continues. The purge
/// itself is recorded as an <see cref="AuditActions.AuditPurge"/> record.
/// </summary>
public sealed partial class AuditRetention(
    IAuditLog log,
    AuditCheckpoints checkpoints,
    IDbContextFactory<AuditDbContext> dbFactory,
    ILogger<AuditRetention> logger)
{
    /// <param name="archive">Receives the archived records and checkpoint; flushed before anything is deleted.
    /// The caller makes it durable (e.g. <c>FileStream.Flush(true)</c>) — that happens before deletion too,
    /// via <paramref name="archiveWritten"/>.</param>
    /// <param name="archiveWritten">Called after the archive is written and before records are deleted.</param>
    public async Task<AuditPurgeResult> ArchiveAndPurgeAsync(DateTimeOffset before, Stream archive,
        Func<CancellationToken, Task>? archiveWritten, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var head = await log.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        long first, through;
        string throughHash;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            var firstKept = await db.Records.Where(r => r.Time >= before).MinAsync(r => (long?)r.Sequence, cancellationToken).ConfigureAwait(false);
            through = Math.Min((firstKept ?? head.Sequence + 1) - 1, head.Sequence - 1);
            var oldest = await db.Records.MinAsync(r => (long?)r.Sequence, cancellationToken).ConfigureAwait(false);
            if (oldest is null || through < oldest)
            {
                return new AuditPurgeResult(0, null, null, null);
            }

            first = oldest.Value;
            var last = through;
            throughHash = await db.Records.Where(r => r.Sequence == last).Select(r => r.Hash).SingleAsync(cancellationToken).ConfigureAwait(false);
        }

        var checkpoint = await checkpoints.CreateAtAsync(new AuditHead(through, throughHash), cancellationToken).ConfigureAwait(false);
        var archived = await AuditExportFormat.WriteAsync(archive, log.ReadAsync(first, through, cancellationToken), [checkpoint], cancellationToken)
            .ConfigureAwait(false);
        if (archiveWritten is not null)
        {
            await archiveWritten(cancellationToken).ConfigureAwait(false);
        }

        int deleted;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            // One statement, so a failure leaves either every archived record or none of them.
            deleted = await db.Records.Where(r => r.Sequence <= through).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        LogPurged(logger, deleted, first, through);
        await log.AppendAsync(new AuditEvent(AuditActor.System, AuditActions.AuditPurge, "audit", AuditOutcome.Success,
            Details: new Dictionary<string, string>
            {
                ["firstSequence"] = first.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["lastSequence"] = through.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["lastHash"] = throughHash,
                ["records"] = archived.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }), cancellationToken).ConfigureAwait(false);
        return new AuditPurgeResult(deleted, first, through, checkpoint);
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Audit retention purged {Count} records ({First}–{Last}) after archiving them")]
    private static partial void LogPurged(ILogger logger, int count, long first, long last);
}
