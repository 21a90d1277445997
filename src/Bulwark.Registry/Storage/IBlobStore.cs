using Bulwark.Oci;

namespace Bulwark.Registry.Storage;

/// <summary>
/// Content-addressed blob bytes. Metadata (which repository may read a blob) lives in the database; this
/// store only keeps bytes, never rewrites them, and is the seam for object storage later.
/// </summary>
public interface IBlobStore
{
    /// <summary>Size of a stored blob, or null when absent.</summary>
    Task<long?> GetSizeAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Opens a stored blob for reading, or null when absent.</summary>
    Task<Stream?> OpenReadAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>A local file path for zero-copy serving, when the store is on the local filesystem.</summary>
    string? GetLocalPath(Digest digest);

    /// <summary>
    /// Moves a fully written, verified staging file into the store under <paramref name="digest"/>.
    /// Replacing an existing blob is harmless (same bytes) and repairs one lost to a concurrent collection.
    /// </summary>
    Task CommitAsync(string stagingFile, Digest digest, CancellationToken cancellationToken);

    /// <summary>Stores small content (manifests) under its digest.</summary>
    Task PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a blob unless <paramref name="isStillGarbage"/>, asked after the bytes are moved aside, says
    /// it came back into use; then they are put back. Returns true when the blob was removed.
    /// </summary>
    Task<bool> DeleteAsync(Digest digest, Func<CancellationToken, Task<bool>> isStillGarbage, CancellationToken cancellationToken);

    /// <summary>Every stored digest with the time its bytes were last written.</summary>
    IAsyncEnumerable<(Digest Digest, DateTimeOffset WrittenAt)> ListAsync(CancellationToken cancellationToken);

    /// <summary>A new staging file path for an upload, in the store's own temp area.</summary>
    string GetStagingPath(string uploadId);
}
