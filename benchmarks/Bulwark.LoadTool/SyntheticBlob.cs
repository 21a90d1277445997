using System.Buffers.Binary;
using System.Security.Cryptography;
using Bulwark.Oci;

namespace Bulwark.LoadTool;

/// <summary>
/// A family of blobs of one size that share a pseudo-random body and differ in a 32-byte tail, so that every
/// push is new content (no registry can deduplicate it) while nothing of blob size is ever allocated.
/// </summary>
/// <remarks>
/// The unique part is the tail rather than a header because SHA-256 is computed front to back: the hash
/// state after the shared body is computed once and cloned per variant, so the client spends no CPU per
/// push on hashing and the measurement is the server's.
/// </remarks>
public sealed class SyntheticBlob : IDisposable
{
    public const int TailLength = 32;

    private const int PatternLength = 1 << 20;

    private static readonly byte[] SharedPattern = CreatePattern();

    private readonly IncrementalHash bodyHash;
    private readonly Lock hashLock = new();

    public SyntheticBlob(long size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, TailLength);
        Size = size;
        bodyHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var offset = 0L; offset < BodyLength;)
        {
            var count = (int)Math.Min(PatternLength, BodyLength - offset);
            bodyHash.AppendData(SharedPattern, 0, count);
            offset += count;
        }
    }

    public long Size { get; }

    private long BodyLength => Size - TailLength;

    /// <summary>
    /// A variant whose tail encodes <paramref name="runId"/> and <paramref name="sequence"/>: unique across
    /// runs and operations.
    /// </summary>
    public SyntheticBlobVariant CreateVariant(Guid runId, long sequence)
    {
        var tail = new byte[TailLength];
        runId.TryWriteBytes(tail);
        BinaryPrimitives.WriteInt64BigEndian(tail.AsSpan(16), sequence);
        BinaryPrimitives.WriteInt64BigEndian(tail.AsSpan(24), Size);

        IncrementalHash hash;
        lock (hashLock)
        {
            hash = bodyHash.Clone();
        }

        using (hash)
        {
            hash.AppendData(tail);
            return new SyntheticBlobVariant(this, tail, Digest.FromHash(Digest.Sha256, hash.GetHashAndReset()));
        }
    }

    /// <summary>Writes bytes <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="length"/> of a variant.</summary>
    public async Task WriteAsync(Stream destination, byte[] tail, long offset, long length, CancellationToken cancellationToken)
    {
        // Slices of at most 256 KiB keep each socket write a sensible size.
        const int MaxWrite = 256 << 10;
        var end = offset + length;
        var position = offset;
        while (position < Math.Min(end, BodyLength))
        {
            var inPattern = (int)(position % PatternLength);
            var count = (int)Math.Min(Math.Min(MaxWrite, PatternLength - inPattern), Math.Min(end, BodyLength) - position);
            await destination.WriteAsync(SharedPattern.AsMemory(inPattern, count), cancellationToken).ConfigureAwait(false);
            position += count;
        }

        if (position < end)
        {
            var inTail = (int)(position - BodyLength);
            await destination.WriteAsync(tail.AsMemory(inTail, (int)(end - position)), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => bodyHash.Dispose();

    private static byte[] CreatePattern()
    {
        // Fixed seed: the same bytes on every run and machine, incompressible enough for a registry that never
        // compresses anyway.
        var pattern = new byte[PatternLength];
#pragma warning disable CA5394 // Not security-relevant: test data only.
        new Random(0x5EED).NextBytes(pattern);
#pragma warning restore CA5394
        return pattern;
    }
}
