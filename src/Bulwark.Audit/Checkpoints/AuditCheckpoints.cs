using System.Security.Cryptography;
using Bulwark.Audit.Records;
using Bulwark.Audit.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Audit.Checkpoints;

/// <summary>Signs checkpoints of the chain's head and keeps them in <c>audit_checkpoints</c>.</summary>
public sealed class AuditCheckpoints(
    IAuditLog log,
    IDbContextFactory<AuditDbContext> dbFactory,
    AuditOptions options,
    TimeProvider time) : IDisposable
{
    private readonly Lazy<AuditCheckpointKey> _key = new(() => AuditCheckpointKey.LoadOrCreate(options.ResolvedCheckpointKeyPath));

    /// <summary>The signing key (created on first use).</summary>
    public AuditCheckpointKey Key => _key.Value;

    /// <summary>
    /// Signs the current head, or returns the existing checkpoint when the head has not moved since;
    /// null while the log is empty.
    /// </summary>
    public async Task<AuditCheckpoint?> CreateAsync(CancellationToken cancellationToken)
    {
        var head = await log.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        return head.Sequence == 0 ? null : await CreateAtAsync(head, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs the statement that record <paramref name="at"/>.Sequence has hash <paramref name="at"/>.Hash.</summary>
    internal async Task<AuditCheckpoint> CreateAtAsync(AuditHead at, CancellationToken cancellationToken)
    {
        if (await GetAsync(at.Sequence, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var payload = AuditCanonicalForm.SerializeCheckpointPayload(at.Sequence, at.Hash, now);
        var checkpoint = new AuditCheckpoint(at.Sequence, at.Hash, now, Key.KeyId, Key.Sign(payload));
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            db.Checkpoints.Add(ToEntity(checkpoint));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return checkpoint;
        }
        catch (DbUpdateException e)
        {
            // Another replica signed the same head first; use theirs.
            return await GetAsync(at.Sequence, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"storing the audit checkpoint at {at.Sequence} failed", e);
        }
    }

    public async Task<AuditCheckpoint?> GetLatestAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Checkpoints.AsNoTracking().OrderByDescending(c => c.Sequence)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToCheckpoint(row);
    }

    /// <summary>Every stored checkpoint, oldest first (one per signing interval: a small table).</summary>
    public async Task<IReadOnlyList<AuditCheckpoint>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Checkpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(ToCheckpoint).ToList();
    }

    /// <summary>The public key that verifies this server's checkpoints, or null when none was ever created.</summary>
    public ECDsa? LoadPublicKey()
    {
        if (_key.IsValueCreated)
        {
            return _key.Value.PublicKey();
        }

        using var key = AuditCheckpointKey.LoadIfExists(options.ResolvedCheckpointKeyPath);
        return key?.PublicKey();
    }

    private async Task<AuditCheckpoint?> GetAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Checkpoints.AsNoTracking().FirstOrDefaultAsync(c => c.Sequence == sequence, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToCheckpoint(row);
    }

    private static AuditCheckpointEntity ToEntity(AuditCheckpoint c) => new()
    {
        Sequence = c.Sequence,
        HeadHash = c.HeadHash,
        Time = c.Time,
        KeyId = c.KeyId,
        Signature = c.Signature,
    };

    private static AuditCheckpoint ToCheckpoint(AuditCheckpointEntity e) => new(e.Sequence, e.HeadHash, e.Time, e.KeyId, e.Signature);

    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }
}
