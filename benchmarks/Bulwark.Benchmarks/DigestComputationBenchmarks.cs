using BenchmarkDotNet.Attributes;
using Bulwark.Oci;

namespace Bulwark.Benchmarks;

/// <summary>
/// One-shot SHA-256 digests of small content held in memory: what a manifest or config PUT costs to hash.
/// Not sealed: BenchmarkDotNet derives from benchmark classes.
/// </summary>
[MemoryDiagnoser]
public class DigestComputationBenchmarks
{
    private byte[] fourKiB = [];
    private byte[] oneMiB = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        fourKiB = new byte[4 << 10];
        oneMiB = new byte[1 << 20];
        random.NextBytes(fourKiB);
        random.NextBytes(oneMiB);
    }

    [Benchmark(Description = "sha256 4 KiB")]
    public Digest Sha256_4KiB() => Digest.Compute(fourKiB);

    [Benchmark(Description = "sha256 1 MiB")]
    public Digest Sha256_1MiB() => Digest.Compute(oneMiB);
}
