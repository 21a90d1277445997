using System.Security.Cryptography;
using Bulwark.Oci;

namespace Bulwark.Analysis.Sources;

/// <summary>Hashes a blob as it is read and fails at its end when the digest or size is not the descriptor's.</summary>
internal sealed class VerifyingReadStream(Stream inner, Digest expected, long? expectedSize) : ForwardOnlyReadStream
{
    private readonly IncrementalHash hash = expected.CreateHash();
    private long length;
    private bool verified;

    public override long Position
    {
        get => length;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer) => Check(buffer, inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Check(buffer.Span, read);
    }

    private int Check(ReadOnlySpan<byte> buffer, int read)
    {
        length += read;
        if (expectedSize is { } size && length > size)
        {
            throw new HostileImageException(HostileImageReason.DigestMismatch, $"blob {expected} is longer than its descriptor's {size} bytes");
        }

        if (read > 0)
        {
            hash.AppendData(buffer[..read]);
        }
        else if (!verified)
        {
            verified = true;
            var actual = Digest.FromHash(expected.Algorithm, hash.GetHashAndReset());
            if (actual != expected || (expectedSize is { } s && s != length))
            {
                throw new HostileImageException(HostileImageReason.DigestMismatch, $"blob content does not match its digest {expected}");
            }
        }

        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
