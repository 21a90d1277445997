using ZstdSharp;

namespace Bulwark.Analysis.Layers;

/// <summary>
/// Decompresses a zstd layer with a decoder from a small pool. A decoder holds the stream's window (up to 8 MiB for
/// what skopeo writes); making a new one per layer allocates and frees that natively each time, and glibc keeps freed
/// blocks of that size in its heaps, so a process analysing image after image grew to ~185 MiB where the gzip path
/// stays at ~145 MiB (benchmarks/README.md). A decoder goes back to the pool, reset, only after its stream was read to
/// the end; after an error or an early stop it is freed.
/// </summary>
internal sealed class ZstdLayerStream : ForwardOnlyReadStream
{
    private static readonly Stack<Decompressor> Pool = new();
    private static readonly int PoolCapacity = Environment.ProcessorCount;

    private readonly Decompressor decompressor;
    private readonly DecompressionStream inner;
    private bool ended;
    private bool disposed;

    /// <summary>Decompresses <paramref name="compressed"/>, which the returned stream owns.</summary>
    public ZstdLayerStream(Stream compressed)
    {
        lock (Pool)
        {
            decompressor = Pool.TryPop(out var pooled) ? pooled : new Decompressor();
        }

        inner = new DecompressionStream(compressed, decompressor, bufferSize: 0, checkEndOfStream: true, preserveDecompressor: true, leaveOpen: false);
    }

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer), buffer.Length);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Length);

    private int Count(int read, int requested)
    {
        ended |= read == 0 && requested > 0;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            disposed = true;
            inner.Dispose();
            Release();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            disposed = true;
            await inner.DisposeAsync().ConfigureAwait(false);
            Release();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Release()
    {
        if (ended)
        {
            decompressor.ResetStream();
            lock (Pool)
            {
                if (Pool.Count < PoolCapacity)
                {
                    Pool.Push(decompressor);
                    return;
                }
            }
        }

        decompressor.Dispose();
    }
}
