using BenchmarkDotNet.Attributes;
using Bulwark.Oci;

namespace Bulwark.Benchmarks;

/// <summary>
/// Parsing and validating the names every /v2 request carries: digests, repository names and tags.
/// Not sealed: BenchmarkDotNet derives from benchmark classes.
/// </summary>
[MemoryDiagnoser]
public class ReferenceParsingBenchmarks
{
    private readonly string digest = "sha256:" + new string('a', 32) + "0123456789abcdef0123456789abcdef";
    private readonly string upperCaseDigest = "sha256:" + new string('A', 64);
    private readonly string shortRepository = "library/ubuntu";
    private readonly string nestedRepository = "platform-team/build.tools/base_images/debian--slim/bookworm-20250101";
    private readonly string tag = "v1.27.3-alpine3.20";

    [Benchmark(Description = "Digest.Parse valid sha256")]
    public Digest DigestParse() => Digest.Parse(digest);

    [Benchmark(Description = "Digest.TryParse invalid (upper-case hex)")]
    public bool DigestTryParseInvalid() => Digest.TryParse(upperCaseDigest, out _);

    [Benchmark(Description = "RepositoryName.IsValid library/ubuntu")]
    public bool RepositoryShort() => RepositoryName.IsValid(shortRepository);

    [Benchmark(Description = "RepositoryName.IsValid 5 components")]
    public bool RepositoryNested() => RepositoryName.IsValid(nestedRepository);

    [Benchmark(Description = "TagName.IsValid")]
    public bool Tag() => TagName.IsValid(tag);
}
