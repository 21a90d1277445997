using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Tests.Layers;

/// <summary>The read-ahead between blob, decompressor and tar reader: same bytes, errors in order, nothing left running.</summary>
public sealed class ReadAheadStreamTests
{
    private const int Chunk = 1024;

    private static byte[] Data(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(Chunk - 1, 7)]
    [InlineData(Chunk, 512)]
    [InlineData((5 * Chunk) + 3, 100)]
    [InlineData((40 * Chunk) + 1, 4096)]
    public async Task ReadsExactlyTheSourceBytes_WhateverTheReadSizes(int length, int readSize)
    {
        var data = Data(length);
        await using var stream = ReadAheadStream.Start(new MemoryStream(data), Chunk, 3, CancellationToken.None);

        var copy = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        Assert.Equal(data, copy.ToArray());
        Assert.Equal(length, stream.Position);
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public void SynchronousReads_SeeTheSameBytes()
    {
        var data = Data((7 * Chunk) + 11);
        using var stream = ReadAheadStream.Start(new MemoryStream(data), Chunk, 2, CancellationToken.None);

        var copy = new MemoryStream();
        stream.CopyTo(copy, 333);

        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task ProducerError_IsThrownAsIs_AfterTheBytesBeforeIt()
    {
        var data = Data(10 * Chunk);
        var error = new HostileImageException(HostileImageReason.LayerTooLarge, "limit");
        await using var stream = ReadAheadStream.Start(new FailingStream(data, failAfter: (6 * Chunk) + 5, error), Chunk, 3, CancellationToken.None);

        var copy = new MemoryStream();
        var buffer = new byte[700];
        var thrown = await Assert.ThrowsAsync<HostileImageException>(async () =>
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                copy.Write(buffer, 0, read);
            }
        });

        Assert.Same(error, thrown);
        // Everything the source delivered before failing was read first, in order.
        Assert.Equal(data.AsSpan(0, (6 * Chunk) + 5).ToArray(), copy.ToArray());
    }

    [Fact]
    public async Task DisposingEarly_StopsTheProducer_AndDisposesTheSource()
    {
        var source = new EndlessStream();
        var stream = ReadAheadStream.Start(source, Chunk, 2, CancellationToken.None);
        var buffer = new byte[10];
        Assert.Equal(10, await stream.ReadAsync(buffer));

        await stream.DisposeAsync();

        // DisposeAsync returned only after the producer had finished, so the source is already disposed.
        Assert.True(source.Disposed);
        var reads = source.Reads;
        await Task.Delay(50);
        Assert.Equal(reads, source.Reads);
    }

    [Fact]
    public async Task Cancellation_OfTheAnalysis_StopsTheProducer()
    {
        using var cancel = new CancellationTokenSource();
        var source = new EndlessStream();
        await using var stream = ReadAheadStream.Start(source, Chunk, 2, cancel.Token);
        Assert.Equal(Chunk, await stream.ReadAsync(new byte[Chunk]));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            var buffer = new byte[Chunk];
            while (await stream.ReadAsync(buffer, cancel.Token) > 0)
            {
            }
        });
    }

    /// <summary>Delivers <c>data</c> up to <c>failAfter</c> bytes, then throws <c>error</c>.</summary>
    private sealed class FailingStream(byte[] data, int failAfter, Exception error) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer)
        {
            var left = failAfter - (int)Position;
            if (left <= 0)
            {
                throw error;
            }

            return base.Read(buffer[..Math.Min(buffer.Length, left)]);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }

    /// <summary>Never ends; counts its reads and records its disposal.</summary>
    private sealed class EndlessStream : Stream
    {
        private int reads;

        public int Reads => Volatile.Read(ref reads);

        public bool Disposed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Interlocked.Increment(ref reads);
            Array.Fill(buffer, (byte)'x', offset, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
