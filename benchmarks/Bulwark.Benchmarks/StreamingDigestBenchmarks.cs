using System.Buffers;
using BenchmarkDotNet.Attributes;
using Bulwark.Oci;

namespace Bulwark.Benchmarks;

/// <summary>
/// A blob upload's hashing path: 64 MiB read from a stream through a pooled buffer into an
/// <see cref="System.Security.Cryptography.IncrementalHash"/>, at several buffer sizes, to choose the
/// server's copy buffer. Allocation should stay flat (no per-blob buffers). Not sealed: BenchmarkDotNet
/// derives from benchmark classes.
/// </summary>
[MemoryDiagnoser]
public class StreamingDigestBenchmarks
{
    private const int BlobSize = 64 << 20;

    private byte[] content = [];

    [Params(16 << 10, 128 << 10, 1 << 20)]
    public int BufferSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        content = new byte[BlobSize];
        new Random(42).NextBytes(content);
    }

    [Benchmark(Description = "sha256 streaming 64 MiB")]
    public async Task<Digest> Sha256_Streaming64MiB()
    {
        using var source = new MemoryStream(content, writable: false);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = Digest.CreateHash(Digest.Sha256);
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize))) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return Digest.FromHash(Digest.Sha256, hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
