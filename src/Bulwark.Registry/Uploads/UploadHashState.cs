using System.Security.Cryptography;

namespace Bulwark.Registry.Uploads;

/// <summary>
/// The running SHA-256 of an upload in this process, so a chunked upload is hashed once, as it arrives. After
/// a restart or a failed chunk the state is gone or invalid, and completion re-reads the staged file instead.
/// </summary>
internal sealed class UploadHashState : IDisposable
{
    public SemaphoreSlim Lock { get; } = new(1, 1);

    public IncrementalHash? Hash { get; set; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Bytes fed into <see cref="Hash"/>; it is only usable while this equals the session offset.</summary>
    public long HashedBytes { get; set; }

    public void Invalidate()
    {
        Hash?.Dispose();
        Hash = null;
    }

    public void Dispose()
    {
        Invalidate();
        Lock.Dispose();
    }
}
