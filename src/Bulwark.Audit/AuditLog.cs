using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Bulwark.Audit.Records;
using Bulwark.Audit.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bulwark.Audit;

/// <summary>
/// The database-backed <see cref="IAuditLog"/>. Appends are serialized twice over: in this process by one
/// writer thread (which commits every event queued meanwhile in the same transaction — group commit, so a
/// burst of requests costs one fsync, not one each — while callers only queue and wait), and across
/// processes and replicas by the database:
/// each batch moves the single <c>audit_head</c> row guarded by a concurrency token, and sequence numbers are
/// the primary key, so a writer that lost a race gets a conflict, re-reads the head and chains its batch again.
/// </summary>
public sealed partial class AuditLog(
    IDbContextFactory<AuditDbContext> dbFactory,
    AuditOptions options,
    TimeProvider time,
    ILogger<AuditLog> logger) : IAuditLog, IDisposable, IAsyncDisposable
{
    private const int MaxBatch = 256;
    private const int MaxAttempts = 50;
    private const int MaxBackoffShift = 6;
    private const int ReadBatch = 1000;

    private readonly Channel<PendingAppend> _pending = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });

    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _writer;

    public Task<AuditRecord> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(AuditEventNormalization.Normalize(auditEvent));
        if (_writer is null)
        {
            // One writer thread per log, started on first use; a caller that loses this race starts nothing.
            var thread = new Thread(WriteLoop) { IsBackground = true, Name = "bulwark-audit-writer" };
            if (Interlocked.CompareExchange(ref _writer, thread, null) is null)
            {
                thread.Start();
            }
        }

        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);

        // The caller's token only stops the wait: once queued, the record joins the next commit regardless.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    // The single writer: whatever was queued while the previous batch was being committed goes into the next
    // one, so under load a batch grows to MaxBatch and one transaction (one fsync) carries many records. It is a
    // thread of its own and writes synchronously: a commit waits for the disk (SQLite's async API is synchronous
    // underneath anyway), and a thread-pool thread blocked on fsync starves request handling on a small machine.
    private void WriteLoop()
    {
        try
        {
            var reader = _pending.Reader;
            var batch = new List<PendingAppend>(MaxBatch);
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                WriteBatch(batch);
                batch.Clear();
            }
        }
        finally
        {
            _writerStopped.TrySetResult();
        }
    }

    // The batch carries many callers' events, so no caller's cancellation may abandon it. Never throws: a failure
    // fails every append of the batch.
    private void WriteBatch(List<PendingAppend> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var db = dbFactory.CreateDbContext();
                var headRow = db.Head.SingleOrDefault(h => h.Id == AuditHeadEntity.SingletonId);
                var records = Chain(headRow is null ? AuditHead.Genesis : new AuditHead(headRow.Sequence, headRow.Hash), batch);
                if (headRow is null)
                {
                    db.Head.Add(new AuditHeadEntity { Id = AuditHeadEntity.SingletonId, Sequence = records[^1].Sequence, Hash = records[^1].Hash });
                }
                else
                {
                    // Sequence is a concurrency token: the update only applies if nobody moved the head meanwhile.
                    headRow.Sequence = records[^1].Sequence;
                    headRow.Hash = records[^1].Hash;
                }

                db.Records.AddRange(records.Select(AuditRecordMapping.ToEntity));
                db.SaveChanges();
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.SetResult(records[i]);
                }

                return;
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts)
            {
                // Another process moved the head first (concurrency token) or took the sequence number (primary
                // key). Replicas that keep colliding back off for a random, growing moment so that one gets
                // through. Real time on purpose: this spaces out database writes, it is not a timestamp.
                LogConflict(logger, attempt, e.InnerException?.Message ?? e.Message);
                Thread.Sleep(Random.Shared.Next(1, 2 << Math.Min(attempt, MaxBackoffShift)));
            }
            catch (Exception e)
            {
                LogAppendFailed(logger, batch.Count, e);
                foreach (var item in batch)
                {
                    item.Completion.SetException(e);
                }

                return;
            }
        }
    }

    private List<AuditRecord> Chain(AuditHead head, List<PendingAppend> batch)
    {
        // Whole milliseconds: the database stores Unix milliseconds and the hash must survive the round trip.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var records = new List<AuditRecord>(batch.Count);
        var (sequence, previous) = (head.Sequence, head.Hash);
        foreach (var item in batch)
        {
            var e = item.Event;
            var unsigned = new AuditRecord(++sequence, now, e.Actor, e.Action, e.Target, e.ClientAddress, e.UserAgent,
                e.Outcome, e.Reason, e.Details, previous, string.Empty);
            var record = unsigned with { Hash = unsigned.ComputeHash() };
            records.Add(record);
            previous = record.Hash;
        }

        return records;
    }

    public async Task<AuditHead> GetHeadAsync(CancellationToken cancellationToken) =>
        await ReadHeadAsync(cancellationToken).ConfigureAwait(false);

    private async Task<AuditHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var head = await db.Records.AsNoTracking()
            .OrderByDescending(r => r.Sequence)
            .Select(r => new AuditHead(r.Sequence, r.Hash))
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return head ?? AuditHead.Genesis;
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, options.MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        IQueryable<AuditRecordEntity> rows = db.Records.AsNoTracking();
        if (query.ActorId is { } actorId)
        {
            rows = rows.Where(r => r.ActorId == actorId);
        }

        if (query.ActorKind is { } kind)
        {
            var wire = kind.ToWire();
            rows = rows.Where(r => r.ActorKind == wire);
        }

        if (query.Action is { } action)
        {
            rows = rows.Where(r => r.Action == action);
        }

        if (query.Target is { } target)
        {
            rows = rows.Where(r => r.Target == target);
        }

        if (query.Outcome is { } outcome)
        {
            var wire = outcome.ToWire();
            rows = rows.Where(r => r.Outcome == wire);
        }

        if (query.From is { } from)
        {
            rows = rows.Where(r => r.Time >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(r => r.Time < to);
        }

        var newestFirst = query.Order == AuditOrder.NewestFirst;
        if (query.Cursor is { } cursor)
        {
            rows = newestFirst ? rows.Where(r => r.Sequence < cursor) : rows.Where(r => r.Sequence > cursor);
        }

        rows = newestFirst ? rows.OrderByDescending(r => r.Sequence) : rows.OrderBy(r => r.Sequence);
        var page = await rows.Take(limit + 1).ToListAsync(cancellationToken).ConfigureAwait(false);
        var more = page.Count > limit;
        var records = page.Take(limit).Select(AuditRecordMapping.ToRecord).ToList();
        return new AuditPage(records, more ? records[^1].Sequence : null);
    }

    public async IAsyncEnumerable<AuditRecord> ReadAsync(long? firstSequence, long? lastSequence,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = firstSequence ?? long.MinValue;
        var last = lastSequence ?? long.MaxValue;
        while (next <= last)
        {
            List<AuditRecordEntity> rows;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                var start = next;
                rows = await db.Records.AsNoTracking()
                    .Where(r => r.Sequence >= start && r.Sequence <= last)
                    .OrderBy(r => r.Sequence)
                    .Take(ReadBatch)
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var row in rows)
            {
                yield return AuditRecordMapping.ToRecord(row);
            }

            if (rows.Count < ReadBatch || rows[^1].Sequence == long.MaxValue)
            {
                yield break;
            }

            next = rows[^1].Sequence + 1;
        }
    }

    /// <summary>Stops taking appends and waits until everything already queued is committed (or failed).</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writerStopped.Task.ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Audit append conflicted (attempt {Attempt}), re-reading the head: {Reason}")]
    private static partial void LogConflict(ILogger logger, int attempt, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Appending {Count} audit records failed")]
    private static partial void LogAppendFailed(ILogger logger, int count, Exception exception);

    private sealed class PendingAppend(AuditEvent auditEvent)
    {
        public AuditEvent Event { get; } = auditEvent;

        public TaskCompletionSource<AuditRecord> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
