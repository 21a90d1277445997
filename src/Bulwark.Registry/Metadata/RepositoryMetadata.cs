using System.Collections.Concurrent;
using Bulwark.Oci;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Registry.Metadata;

/// <summary>Repositories and their blob links: the rows every other registry operation starts from.</summary>
public sealed class RepositoryMetadata(IDbContextFactory<RegistryDbContext> dbFactory, TimeProvider time)
{
    // Repository ids never change once created; caching them takes a query off every pull.
    private readonly ConcurrentDictionary<string, long> _ids = new(StringComparer.Ordinal);

    public async Task<long?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (_ids.TryGetValue(name, out var cached))
        {
            return cached;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var id = await db.Repositories.Where(r => r.Name == name).Select(r => (long?)r.Id)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (id is { } found)
        {
            _ids[name] = found;
        }

        return id;
    }

    public async Task<long> GetOrCreateAsync(string name, CancellationToken cancellationToken)
    {
        if (await FindAsync(name, cancellationToken).ConfigureAwait(false) is { } id)
        {
            return id;
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            // Concurrent first pushes race here; the unique name settles it and both read the same id.
            await db.AddRepositoryAsync(name, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        return await FindAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"repository '{name}' could not be created");
    }

    /// <summary>The blob's size if it is linked to the repository, else null.</summary>
    public async Task<long?> GetLinkedBlobSizeAsync(long repositoryId, Digest digest, CancellationToken cancellationToken)
    {
        var key = digest.ToString();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await (from link in db.RepositoryBlobs
                      join blob in db.Blobs on link.Digest equals blob.Digest
                      where link.RepositoryId == repositoryId && link.Digest == key
                      select (long?)blob.Size).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refreshes an existing blob's grace period; returns its size, or null if the blob is not stored.</summary>
    public async Task<long?> TryTouchExistingBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        var key = digest.ToString();
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var updated = await db.Blobs.Where(b => b.Digest == key)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.TouchedAt, now), cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            return null;
        }

        return await db.Blobs.Where(b => b.Digest == key).Select(b => (long?)b.Size)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the blob's bytes as stored and links them to the repository, in one transaction. Garbage
    /// collection relies on the order: the blob row is touched before the caller moves the bytes into place.
    /// </summary>
    public async Task TouchAndLinkBlobAsync(long repositoryId, Digest digest, long size, CancellationToken cancellationToken)
    {
        var key = digest.ToString();
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.TouchBlobAsync(key, size, now, cancellationToken).ConfigureAwait(false);
        await db.LinkBlobAsync(repositoryId, key, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task LinkBlobAsync(long repositoryId, Digest digest, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.LinkBlobAsync(repositoryId, digest.ToString(), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a blob link; returns false when there was none.</summary>
    public async Task<bool> UnlinkBlobAsync(long repositoryId, Digest digest, CancellationToken cancellationToken)
    {
        var key = digest.ToString();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.RepositoryBlobs.Where(l => l.RepositoryId == repositoryId && l.Digest == key)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
