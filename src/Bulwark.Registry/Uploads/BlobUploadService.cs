using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Bulwark.Oci;
using Bulwark.Registry.Metadata;
using Bulwark.Registry.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Registry.Uploads;

/// <summary>
/// Blob uploads: monolithic (POST with <c>?digest=</c>), session-based and chunked (POST, PATCH…, PUT),
/// and cross-repository mounts. Bytes are hashed while they stream to a staging file, verified against the
/// client's digest, then committed atomically; a wrong digest stores nothing.
/// </summary>
public sealed class BlobUploadService(
    IDbContextFactory<RegistryDbContext> dbFactory,
    IBlobStore store,
    RepositoryMetadata repositories,
    RegistryOptions options,
    RegistryMetrics metrics,
    TimeProvider time)
{
    private const int BufferSize = 256 * 1024;

    private readonly ConcurrentDictionary<string, UploadHashState> _hashes = new(StringComparer.Ordinal);

    public async Task<UploadStatus> StartAsync(string repository, CancellationToken cancellationToken)
    {
        var repositoryId = await repositories.GetOrCreateAsync(repository, cancellationToken).ConfigureAwait(false);
        var id = Guid.NewGuid().ToString("N");
        await File.WriteAllBytesAsync(store.GetStagingPath(id), [], cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.UploadSessions.Add(new UploadSessionEntity { Id = id, RepositoryId = repositoryId, Offset = 0, StartedAt = now, LastActivityAt = now });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new UploadStatus(repository, id, 0);
    }

    public async Task<UploadStatus> GetStatusAsync(string repository, string id, CancellationToken cancellationToken)
    {
        var session = await FindSessionAsync(repository, id, cancellationToken).ConfigureAwait(false);
        return new UploadStatus(repository, id, session.Offset);
    }

    /// <summary>Appends a chunk (PATCH). A chunk that does not start at the current offset is refused (416).</summary>
    public async Task<UploadStatus> AppendAsync(string repository, string id, Stream body, ContentRange? range, long? contentLength,
        CancellationToken cancellationToken)
    {
        var session = await FindSessionAsync(repository, id, cancellationToken).ConfigureAwait(false);
        var state = _hashes.GetOrAdd(id, _ => new UploadHashState());
        await state.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Re-read under the lock: a concurrent chunk may have moved the offset.
            session = await FindSessionAsync(repository, id, cancellationToken).ConfigureAwait(false);
            var offset = await AppendLockedAsync(session, state, body, range, contentLength, cancellationToken).ConfigureAwait(false);
            return new UploadStatus(repository, id, offset);
        }
        finally
        {
            state.Lock.Release();
        }
    }

    /// <summary>Completes a session (PUT), with an optional last chunk in the body.</summary>
    public async Task<StoredBlob> CompleteAsync(string repository, string id, Digest digest, Stream? body, ContentRange? range,
        long? contentLength, CancellationToken cancellationToken)
    {
        var session = await FindSessionAsync(repository, id, cancellationToken).ConfigureAwait(false);
        var state = _hashes.GetOrAdd(id, _ => new UploadHashState());
        await state.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            session = await FindSessionAsync(repository, id, cancellationToken).ConfigureAwait(false);
            var size = session.Offset;
            if (body is not null)
            {
                size = await AppendLockedAsync(session, state, body, range, contentLength, cancellationToken).ConfigureAwait(false);
            }

            var staging = store.GetStagingPath(id);
            Digest actual;
            if (digest.Algorithm == Digest.Sha256 && state.Hash is not null && state.HashedBytes == size)
            {
                actual = Digest.FromHash(Digest.Sha256, state.Hash.GetCurrentHash());
            }
            else
            {
                await using var file = OpenStaging(staging, FileMode.Open, FileAccess.Read);
                actual = await Digest.ComputeAsync(file, digest.Algorithm, cancellationToken).ConfigureAwait(false);
            }

            if (actual != digest)
            {
                await DeleteSessionAsync(id, cancellationToken).ConfigureAwait(false);
                throw new RegistryException(RegistryErrorCode.DigestInvalid,
                    $"uploaded content has digest {actual}, not {digest}", new { expected = digest.ToString(), actual = actual.ToString() });
            }

            await CommitAsync(session.RepositoryId, staging, digest, size, cancellationToken).ConfigureAwait(false);
            await DeleteSessionAsync(id, cancellationToken).ConfigureAwait(false);
            return new StoredBlob(repository, digest, size);
        }
        finally
        {
            state.Lock.Release();
        }
    }

    public async Task CancelAsync(string repository, string id, CancellationToken cancellationToken)
    {
        await FindSessionAsync(repository, id, cancellationToken).ConfigureAwait(false);
        await DeleteSessionAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A whole blob in one request (POST or PUT with <c>?digest=</c>).</summary>
    public async Task<StoredBlob> UploadAsync(string repository, Digest digest, Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        CheckDeclaredLength(contentLength, 0);
        var staging = store.GetStagingPath("single-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var hash = digest.CreateHash();
            long size;
            await using (var file = OpenStaging(staging, FileMode.CreateNew, FileAccess.Write))
            {
                size = await CopyAsync(body, file, hash, 0, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            if (contentLength is { } declared && declared != size)
            {
                throw new RegistryException(RegistryErrorCode.SizeInvalid, $"received {size} bytes, Content-Length said {declared}");
            }

            var actual = Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
            if (actual != digest)
            {
                throw new RegistryException(RegistryErrorCode.DigestInvalid,
                    $"uploaded content has digest {actual}, not {digest}", new { expected = digest.ToString(), actual = actual.ToString() });
            }

            var repositoryId = await repositories.GetOrCreateAsync(repository, cancellationToken).ConfigureAwait(false);
            await CommitAsync(repositoryId, staging, digest, size, cancellationToken).ConfigureAwait(false);
            return new StoredBlob(repository, digest, size);
        }
        finally
        {
            File.Delete(staging);
        }
    }

    /// <summary>
    /// Links a blob from <paramref name="sourceRepository"/> into <paramref name="repository"/> without copying.
    /// Returns null when the source does not hold the blob, so the caller falls back to a normal upload.
    /// </summary>
    public async Task<StoredBlob?> TryMountAsync(string repository, Digest digest, string sourceRepository, CancellationToken cancellationToken)
    {
        var sourceId = await repositories.FindAsync(sourceRepository, cancellationToken).ConfigureAwait(false);
        if (sourceId is null
            || await repositories.GetLinkedBlobSizeAsync(sourceId.Value, digest, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        // Touch first: from here garbage collection leaves the blob alone for the grace period.
        var size = await repositories.TryTouchExistingBlobAsync(digest, cancellationToken).ConfigureAwait(false);
        if (size is null || await store.GetSizeAsync(digest, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var repositoryId = await repositories.GetOrCreateAsync(repository, cancellationToken).ConfigureAwait(false);
        await repositories.LinkBlobAsync(repositoryId, digest, cancellationToken).ConfigureAwait(false);
        return new StoredBlob(repository, digest, size.Value);
    }

    /// <summary>Removes sessions idle for longer than the configured timeout, with their staged data.</summary>
    public async Task<int> RemoveExpiredSessionsAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.UploadSessionTimeout;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var expired = await db.UploadSessions.Where(s => s.LastActivityAt < cutoff).Select(s => s.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var id in expired)
        {
            await DeleteSessionAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return expired.Count;
    }

    private async Task<long> AppendLockedAsync(UploadSessionEntity session, UploadHashState state, Stream body, ContentRange? range,
        long? contentLength, CancellationToken cancellationToken)
    {
        // distribution-spec "Pushing a blob in chunks": a chunk must start where the last one ended, else 416.
        if (range is { } r)
        {
            if (r.Start != session.Offset)
            {
                throw new RegistryException(RegistryErrorCode.RangeInvalid,
                    $"chunk starts at {r.Start} but the upload is at offset {session.Offset}", new { offset = session.Offset });
            }

            if (contentLength is { } declared && declared != r.Length)
            {
                throw new RegistryException(RegistryErrorCode.RangeInvalid,
                    $"Content-Range covers {r.Length} bytes but Content-Length is {declared}", new { offset = session.Offset });
            }
        }

        CheckDeclaredLength(contentLength ?? range?.Length, session.Offset);
        if (state.HashedBytes != session.Offset)
        {
            state.Invalidate();
        }

        long written;
        await using (var file = OpenStaging(store.GetStagingPath(session.Id), FileMode.Open, FileAccess.Write))
        {
            // Anything past the recorded offset is the remains of a chunk that failed; drop it.
            file.SetLength(session.Offset);
            file.Seek(session.Offset, SeekOrigin.Begin);
            try
            {
                written = await CopyAsync(body, file, state.Hash, session.Offset, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                state.Invalidate();
                throw;
            }

            file.Flush(flushToDisk: true);
        }

        var expected = contentLength ?? range?.Length;
        if (expected is { } length && length != written)
        {
            state.Invalidate();
            throw new RegistryException(RegistryErrorCode.SizeInvalid, $"chunk had {written} bytes, {length} were declared");
        }

        var offset = session.Offset + written;
        state.HashedBytes = offset;
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.UploadSessions.Where(s => s.Id == session.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Offset, offset).SetProperty(x => x.LastActivityAt, now), cancellationToken)
            .ConfigureAwait(false);
        session.Offset = offset;
        return offset;
    }

    private async Task CommitAsync(long repositoryId, string staging, Digest digest, long size, CancellationToken cancellationToken)
    {
        // Rows first, bytes second: garbage collection never removes a blob touched within its grace period,
        // and a crash in between leaves a link to bytes that are not there yet, which reads report as unknown
        // until the client (which got no 201) uploads again.
        await repositories.TouchAndLinkBlobAsync(repositoryId, digest, size, cancellationToken).ConfigureAwait(false);
        await store.CommitAsync(staging, digest, cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> CopyAsync(Stream source, Stream target, IncrementalHash? hash, long alreadyStored, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (alreadyStored + total > options.MaxBlobBytes)
                {
                    throw new RegistryException(RegistryErrorCode.BlobTooLarge, $"blob exceeds the {options.MaxBlobBytes}-byte limit");
                }

                hash?.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                metrics.BytesReceived.Add(read);
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void CheckDeclaredLength(long? declared, long alreadyStored)
    {
        if (declared is { } length && alreadyStored + length > options.MaxBlobBytes)
        {
            throw new RegistryException(RegistryErrorCode.BlobTooLarge, $"blob exceeds the {options.MaxBlobBytes}-byte limit");
        }
    }

    private async Task<UploadSessionEntity> FindSessionAsync(string repository, string id, CancellationToken cancellationToken)
    {
        var repositoryId = await repositories.FindAsync(repository, cancellationToken).ConfigureAwait(false);
        if (repositoryId is not null && Guid.TryParseExact(id, "N", out _))
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var session = await db.UploadSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
            // A session belongs to the repository it was started in; any other name does not know it.
            if (session is not null && session.RepositoryId == repositoryId)
            {
                return session;
            }
        }

        throw new RegistryException(RegistryErrorCode.BlobUploadUnknown, "blob upload unknown to registry");
    }

    private async Task DeleteSessionAsync(string id, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            await db.UploadSessions.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        File.Delete(store.GetStagingPath(id));
        if (_hashes.TryRemove(id, out var state))
        {
            state.Invalidate();
        }
    }

    private static FileStream OpenStaging(string path, FileMode mode, FileAccess access) =>
        new(path, mode, access, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
