using System.IO.Compression;
using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Tests.Layers;

/// <summary>
/// The inflater fed from the read-ahead ring gives what <see cref="GZipStream"/> gives, for every shape of gzip input:
/// one or several members, bytes after the last one, input cut anywhere, corrupt data.
/// </summary>
public sealed class GzipInflateStreamTests
{
    private const int Chunk = 4096;

    private static byte[] Data(int length, int seed)
    {
        // Half random, half repetitive: long matches across the read-ahead's buffer boundaries.
        var data = new byte[length];
        new Random(seed).NextBytes(data.AsSpan(0, length / 2));
        for (var i = length / 2; i < length; i++)
        {
            data[i] = (byte)"bulwark layer "[i % 14];
        }

        return data;
    }

    private static byte[] Gzip(params byte[][] members)
    {
        var output = new MemoryStream();
        foreach (var member in members)
        {
            using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
            gzip.Write(member);
        }

        return output.ToArray();
    }

    private static byte[] WithGZipStream(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private static async Task<byte[]> InflateAsync(Stream compressed, int readSize)
    {
        await using var stream = GzipInflateStream.Open(ReadAheadStream.Start(compressed, Chunk, 3, CancellationToken.None));
        var output = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        Assert.Equal(output.Length, stream.Position);
        Assert.Equal(0, await stream.ReadAsync(buffer));
        return output.ToArray();
    }

    [Fact]
    public void IsAvailable_OnThisRuntime()
    {
        // Else every layer would silently take the GZipStream path and the tests below would prove nothing about it.
        Assert.True(GzipInflateStream.IsAvailable);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 7)]
    [InlineData(100_000, 1)]
    [InlineData(100_000, 333)]
    [InlineData(1_000_000, 65536)]
    [InlineData(1_000_000, 1_048_576)]
    public async Task OneMember_SameBytesAsGZipStream_WhateverTheReadSizes(int length, int readSize)
    {
        var data = Data(length, length);

        var inflated = await InflateAsync(new MemoryStream(Gzip(data)), readSize);

        Assert.Equal(data, inflated);
    }

    [Fact]
    public async Task ConcatenatedMembers_AreReadOneAfterTheOther()
    {
        var compressed = Gzip(Data(50_000, 1), [], Data(123_457, 2), Data(9, 3));

        var inflated = await InflateAsync(new MemoryStream(compressed), 4000);

        Assert.Equal(WithGZipStream(compressed), inflated);
        Assert.Equal(50_000 + 123_457 + 9, inflated.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x1f, 0x00, 0x42 })]
    public async Task BytesAfterTheLastMember_AreIgnored_ButReadToTheEnd(byte[] trailer)
    {
        var data = Data(70_000, 4);
        var compressed = Gzip(data).Concat(trailer).Concat(new byte[3 * Chunk]).ToArray();
        var source = new ReadTrackingStream(compressed);

        var inflated = await InflateAsync(source, 8192);

        Assert.Equal(WithGZipStream(compressed), inflated);
        Assert.Equal(data, inflated);
        // Read to its end, so that a digest check under the input sees every byte.
        Assert.Equal(compressed.Length, source.BytesRead);
        Assert.True(source.EndSeen);
    }

    [Fact]
    public async Task InputCutAnywhere_EndsTheDataWhereGZipStreamEndsIt()
    {
        var compressed = Gzip(Data(200_000, 5));
        foreach (var length in new[] { 2, 10, 11, 100, compressed.Length / 3, compressed.Length / 2, compressed.Length - 9, compressed.Length - 1 })
        {
            var cut = compressed[..length];

            var inflated = await InflateAsync(new MemoryStream(cut), 10_000);

            Assert.Equal(WithGZipStream(cut), inflated);
            if (length <= compressed.Length / 2)
            {
                Assert.True(inflated.Length < 200_000);
            }
        }
    }

    [Fact]
    public async Task CorruptData_ThrowsInvalidData()
    {
        var compressed = Gzip(Data(200_000, 6));
        compressed[compressed.Length / 2] ^= 0xff;
        compressed[(compressed.Length / 2) + 1] ^= 0xff;
        var badHeader = Gzip(Data(1000, 7));
        badHeader[2] = 7; // compression method: only 8 (deflate) exists

        Assert.Throws<InvalidDataException>(() => WithGZipStream(compressed));
        await Assert.ThrowsAsync<InvalidDataException>(() => InflateAsync(new MemoryStream(compressed), 65536));
        await Assert.ThrowsAsync<InvalidDataException>(() => InflateAsync(new MemoryStream(badHeader), 65536));
    }

    [Fact]
    public void SynchronousReads_SeeTheSameBytes()
    {
        var data = Data(300_000, 8);
        using var stream = GzipInflateStream.Open(ReadAheadStream.Start(new MemoryStream(Gzip(data, data)), Chunk, 2, CancellationToken.None));

        var output = new MemoryStream();
        stream.CopyTo(output, 5000);

        Assert.Equal(data.Concat(data).ToArray(), output.ToArray());
    }

    [Fact]
    public async Task DisposingBeforeTheEnd_ReleasesTheInput()
    {
        var source = new MemoryStream(Gzip(Data(1_000_000, 9)));
        var stream = GzipInflateStream.Open(ReadAheadStream.Start(source, Chunk, 2, CancellationToken.None));
        var buffer = new byte[1000];
        await stream.ReadExactlyAsync(buffer);

        await stream.DisposeAsync();

        Assert.False(source.CanRead); // the read-ahead disposed its source
    }

    private sealed class ReadTrackingStream(byte[] data) : MemoryStream(data)
    {
        public long BytesRead { get; private set; }

        public bool EndSeen { get; private set; }

        // A derived MemoryStream's span reads come here through Stream.Read(Span<byte>).
        public override int Read(byte[] buffer, int offset, int count) => Track(base.Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        private int Track(int read)
        {
            BytesRead += read;
            EndSeen |= read == 0;
            return read;
        }
    }
}
