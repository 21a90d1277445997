using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Bulwark.Analysis.Layers;

/// <summary>
/// Reads a stream ahead on another thread: a producer task pulls from <c>source</c> into a fixed ring of pooled
/// buffers while the consumer reads the buffers already filled, so that on two cores the work under the source (file
/// reads and the blob's digest check; or decompression with the layer limits) overlaps with the work of the consumer
/// (decompression; or the tar reader and the inspectors) instead of taking turns. Memory is the ring whatever the
/// stream's size, and nothing is allocated per buffer. An error of the producer (corrupt data, a limit, a digest
/// mismatch) is thrown, as it was thrown, by the consumer's read that reaches it — after everything read before it,
/// as without the read-ahead. Disposing stops the producer and waits for it (the source is released).
/// </summary>
internal sealed class ReadAheadStream : ForwardOnlyReadStream
{
    private static readonly UnboundedChannelOptions OneToOne = new() { SingleReader = true, SingleWriter = true };

    private readonly Channel<(byte[] Buffer, int Length)> filled = Channel.CreateUnbounded<(byte[], int)>(OneToOne);
    private readonly Channel<byte[]> empty = Channel.CreateUnbounded<byte[]>(OneToOne);
    private readonly byte[][] ring;
    private readonly CancellationTokenSource stop;
    private readonly Task producer;
    private ExceptionDispatchInfo? error;
    private byte[]? current;
    private int currentLength;
    private int currentOffset;
    private long position;
    private bool ended;
    private bool disposed;

    private ReadAheadStream(Stream source, int chunkBytes, int chunks, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunks, 2);
        ring = new byte[chunks][];
        for (var i = 0; i < chunks; i++)
        {
            ring[i] = AnalysisBuffers.Bytes.Rent(chunkBytes);
            empty.Writer.TryWrite(ring[i]);
        }

        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        producer = Task.Run(() => ProduceAsync(source, stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// Starts reading <paramref name="source"/> ahead in up to <paramref name="chunks"/> buffers of at least
    /// <paramref name="chunkBytes"/>; the returned stream owns the source.
    /// </summary>
    public static ReadAheadStream Start(Stream source, int chunkBytes, int chunks, CancellationToken cancellationToken) =>
        new(source, chunkBytes, chunks, cancellationToken);

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (currentOffset == currentLength)
        {
            var more = NextChunkAsync(CancellationToken.None);
            if (!(more.IsCompletedSuccessfully ? more.Result : more.AsTask().GetAwaiter().GetResult()))
            {
                return 0;
            }
        }

        return Copy(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Most reads (tar headers, file contents) are served from the current buffer without a state machine.
        if (buffer.IsEmpty || currentOffset < currentLength)
        {
            return ValueTask.FromResult(Copy(buffer.Span));
        }

        return ReadSlowAsync(buffer, cancellationToken);
    }

    /// <summary>
    /// Reads without a copy: the unread rest of the current buffer, else the next filled one; empty at the end of the
    /// data. The memory is valid until the next read of any kind.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadChunkAsync(CancellationToken cancellationToken)
    {
        if (currentOffset == currentLength && !await NextChunkAsync(cancellationToken).ConfigureAwait(false))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var rest = current.AsMemory(currentOffset, currentLength - currentOffset);
        position += rest.Length;
        currentOffset = currentLength;
        return rest;
    }

    private async ValueTask<int> ReadSlowAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        await NextChunkAsync(cancellationToken).ConfigureAwait(false) ? Copy(buffer.Span) : 0;

    private int Copy(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, currentLength - currentOffset);
        current.AsSpan(currentOffset, count).CopyTo(buffer);
        currentOffset += count;
        position += count;
        return count;
    }

    /// <summary>Hands the consumed buffer back and takes the next filled one; false at the end of the data.</summary>
    private async ValueTask<bool> NextChunkAsync(CancellationToken cancellationToken)
    {
        if (current is not null)
        {
            empty.Writer.TryWrite(current);
            current = null;
            currentOffset = currentLength = 0;
        }

        while (!ended)
        {
            if (filled.Reader.TryRead(out var chunk))
            {
                (current, currentLength, currentOffset) = (chunk.Buffer, chunk.Length, 0);
                return true;
            }

            if (!await filled.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ended = true;
            }
        }

        error?.Throw();
        return false;
    }

    private async Task ProduceAsync(Stream source, CancellationToken cancellationToken)
    {
        try
        {
            await using (source.ConfigureAwait(false))
            {
                var end = false;
                while (!end)
                {
                    var buffer = await empty.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    var length = 0;
                    try
                    {
                        while (length < buffer.Length)
                        {
                            var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                            if (read == 0)
                            {
                                end = true;
                                break;
                            }

                            length += read;
                        }
                    }
                    finally
                    {
                        // Also on an error: the consumer gets every byte the source gave before it.
                        if (length > 0)
                        {
                            filled.Writer.TryWrite((buffer, length));
                        }
                    }
                }
            }
        }
#pragma warning disable CA1031 // Every failure of the producer is handed to the consumer, which throws it in order.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            filled.Writer.TryComplete();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            disposed = true;
            await stop.CancelAsync().ConfigureAwait(false);
            // The producer never throws (its error goes to the consumer); wait so that the source, its file handle
            // and the decompressor are released, and no buffer of the ring is in use, before the layer is done.
            await producer.ConfigureAwait(false);
            Release();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            disposed = true;
            stop.Cancel();
            producer.GetAwaiter().GetResult();
            Release();
        }

        base.Dispose(disposing);
    }

    private void Release()
    {
        stop.Dispose();
        current = null;
        foreach (var buffer in ring)
        {
            AnalysisBuffers.Bytes.Return(buffer);
        }
    }
}
