namespace Bulwark.Analysis.Layers;

/// <summary>Counts the decompressed bytes of one layer and stops the read when a limit is crossed.</summary>
internal sealed class CountingReadStream(Stream inner, long maxLayerBytes, DecompressionBudget budget) : ForwardOnlyReadStream
{
    public long BytesRead { get; private set; }

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Count(inner.Read(buffer));
        }
        catch (Exception e) when (IsCorruption(e))
        {
            throw Corrupt(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (IsCorruption(e))
        {
            throw Corrupt(e);
        }
    }

    // What the decompressors throw on corrupt or truncated input.
    private static bool IsCorruption(Exception e) => e is InvalidDataException or ZstdSharp.ZstdException or EndOfStreamException;

    private static HostileImageException Corrupt(Exception e) =>
        new(HostileImageReason.MalformedArchive, $"layer data is corrupt: {e.Message}");

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > maxLayerBytes)
        {
            throw new HostileImageException(HostileImageReason.LayerTooLarge,
                $"layer decompresses to more than {maxLayerBytes} bytes (limit MaxLayerBytes)");
        }

        budget.AddBytes(read);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
