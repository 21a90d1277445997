using System.Data.Common;
using Bulwark.Server.Configuration;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Scanning;

/// <summary>
/// The database-backed scan queue. A job is claimed by setting it to <c>scanning</c> with a lease: on PostgreSQL with
/// <c>FOR UPDATE SKIP LOCKED</c> so that replicas never wait on each other; on SQLite (one writer at a time anyway)
/// through a single in-process claim gate and a compare-and-set update. A worker that dies leaves its lease to
/// expire and the job is claimed again; nothing is lost.
/// </summary>
public sealed class ScanJobStore(IDbContextFactory<ScanDbContext> dbFactory, ServerOptions options, TimeProvider time) : IDisposable
{
    public const int MaxErrorLength = 2000;

    private readonly SemaphoreSlim _sqliteClaimGate = new(1, 1);

    /// <summary>Raised after a job is queued, so idle workers in this process wake at once.</summary>
    public event Action? JobQueued;

    private ScanningSettings Settings => options.Scanning;

    public void Dispose() => _sqliteClaimGate.Dispose();

    /// <summary>
    /// Queues (repository, digest). An existing job is left alone unless <paramref name="force"/>, which puts it back to
    /// pending with fresh attempts (a re-scan); a job being scanned is not disturbed. Returns true when queued.
    /// </summary>
    public async Task<bool> EnqueueAsync(string repository, string digest, string mediaType, bool force, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var existing = await db.Jobs.FirstOrDefaultAsync(j => j.Repository == repository && j.ManifestDigest == digest, cancellationToken)
            .ConfigureAwait(false);
        if (existing is not null)
        {
            if (!force || existing.Status == ScanStatus.Scanning && existing.LeaseExpiresAt > now)
            {
                return false;
            }

            existing.Status = ScanStatus.Pending;
            existing.Attempts = 0;
            existing.NextAttemptAt = now;
            existing.Force = true;
            existing.Error = null;
            existing.LeaseOwner = null;
            existing.LeaseExpiresAt = null;
            existing.EnqueuedAt = now;
            existing.FinishedAt = null;
        }
        else
        {
            db.Jobs.Add(new ScanJobEntity
            {
                Repository = repository,
                ManifestDigest = digest,
                MediaType = mediaType,
                Status = ScanStatus.Pending,
                NextAttemptAt = now,
                EnqueuedAt = now,
                Force = force,
            });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException) when (existing is null)
        {
            // A concurrent push of the same image queued it first.
            return false;
        }

        JobQueued?.Invoke();
        return true;
    }

    /// <summary>Claims the next due job for <paramref name="owner"/>, or returns null when none is due.</summary>
    public async Task<ScanJobEntity?> ClaimAsync(string owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leaseUntil = now + Settings.LeaseDuration;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await FailExhaustedLeasesAsync(db, now, cancellationToken).ConfigureAwait(false);
        long? id = db.Database.IsNpgsql()
            ? await ClaimWithRowLockAsync(db, owner, now, leaseUntil, cancellationToken).ConfigureAwait(false)
            : await ClaimWithGateAsync(db, owner, now, leaseUntil, cancellationToken).ConfigureAwait(false);
        return id is null ? null : await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Extends the lease while the owner still holds it; false when the job was taken over or changed.</summary>
    public async Task<bool> RenewLeaseAsync(long id, string owner, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + Settings.LeaseDuration;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Jobs.Where(j => j.Id == id && j.LeaseOwner == owner && j.Status == ScanStatus.Scanning)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, until), cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task CompleteAsync(long id, string owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Jobs.Where(j => j.Id == id && j.LeaseOwner == owner && j.Status == ScanStatus.Scanning)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, ScanStatus.Done)
                .SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.Error, (string?)null)
                .SetProperty(j => j.Force, false)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a failed attempt: back to pending after an exponential backoff, or <c>failed</c> once the attempts are
    /// used up (or at once when <paramref name="permanent"/>). Returns the status the job ends in.
    /// </summary>
    public async Task<ScanStatus> FailAsync(ScanJobEntity job, string owner, string error, bool permanent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = time.GetUtcNow();
        var text = error.Length <= MaxErrorLength ? error : error[..(MaxErrorLength - 1)] + "…";
        var final = permanent || job.Attempts >= Settings.MaxAttempts;
        var status = final ? ScanStatus.Failed : ScanStatus.Pending;
        var next = final ? now : now + RetryDelay(job.Attempts);
        DateTimeOffset? finished = final ? now : null;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Jobs.Where(j => j.Id == job.Id && j.LeaseOwner == owner && j.Status == ScanStatus.Scanning)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.Error, text)
                .SetProperty(j => j.NextAttemptAt, next)
                .SetProperty(j => j.FinishedAt, finished)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken).ConfigureAwait(false);
        return status;
    }

    /// <summary>The delay before attempt <paramref name="attempts"/> + 1: base × 2^(attempts − 1), capped.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(Settings.RetryBaseDelay.Ticks * factor, Settings.RetryMaxDelay.Ticks));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    /// <summary>Jobs waiting (pending) — the queue depth gauge.</summary>
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Jobs.LongCountAsync(j => j.Status == ScanStatus.Pending, cancellationToken).ConfigureAwait(false);
    }

    // A job whose worker died on its last allowed attempt must not be claimed forever: it fails with the reason.
    private async Task FailExhaustedLeasesAsync(ScanDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var max = Settings.MaxAttempts;
        await db.Jobs.Where(j => j.Status == ScanStatus.Scanning && j.LeaseExpiresAt < now && j.Attempts >= max)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, ScanStatus.Failed)
                .SetProperty(j => j.Error, "the worker scanning this image stopped (lease expired) on the last attempt")
                .SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken).ConfigureAwait(false);
    }

    private async Task<long?> ClaimWithGateAsync(ScanDbContext db, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        CancellationToken cancellationToken)
    {
        await _sqliteClaimGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another process on the same file can race between the select and the update: the update's WHERE
            // repeats the condition (compare-and-set), so at most one claimant changes the row.
            for (var tries = 0; tries < 5; tries++)
            {
                var candidate = await Due(db.Jobs, now).OrderBy(j => j.NextAttemptAt).ThenBy(j => j.Id).Select(j => (long?)j.Id)
                    .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                if (candidate is null)
                {
                    return null;
                }

                var claimed = await Due(db.Jobs.Where(j => j.Id == candidate), now)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(j => j.Status, ScanStatus.Scanning)
                        .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                        .SetProperty(j => j.LeaseOwner, owner)
                        .SetProperty(j => j.LeaseExpiresAt, leaseUntil)
                        .SetProperty(j => j.StartedAt, now), cancellationToken).ConfigureAwait(false);
                if (claimed == 1)
                {
                    return candidate;
                }
            }

            return null;
        }
        finally
        {
            _sqliteClaimGate.Release();
        }
    }

    private static IQueryable<ScanJobEntity> Due(IQueryable<ScanJobEntity> jobs, DateTimeOffset now) =>
        jobs.Where(j => (j.Status == ScanStatus.Pending && j.NextAttemptAt <= now) || (j.Status == ScanStatus.Scanning && j.LeaseExpiresAt < now));

    private static async Task<long?> ClaimWithRowLockAsync(ScanDbContext db, string owner, DateTimeOffset now, DateTimeOffset leaseUntil,
        CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = """
                UPDATE scan_jobs SET status = 'scanning', attempts = attempts + 1, lease_owner = @owner,
                    lease_expires_at = @lease, started_at = @now
                WHERE id = (
                    SELECT id FROM scan_jobs
                    WHERE (status = 'pending' AND next_attempt_at <= @now) OR (status = 'scanning' AND lease_expires_at < @now)
                    ORDER BY next_attempt_at, id
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                RETURNING id
                """;
            Add(command, "owner", owner);
            Add(command, "lease", leaseUntil.ToUnixTimeMilliseconds());
            Add(command, "now", now.ToUnixTimeMilliseconds());
            var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return result is null or DBNull ? null : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
