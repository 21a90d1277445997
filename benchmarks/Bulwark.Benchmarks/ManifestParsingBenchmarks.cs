using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Bulwark.Oci;

namespace Bulwark.Benchmarks;

/// <summary>
/// <see cref="ManifestParser.Parse"/> on what a manifest PUT receives: an image manifest with ten layers (as
/// buildkit writes them, with annotations) and a five-platform index. Not sealed: BenchmarkDotNet derives
/// from benchmark classes.
/// </summary>
[MemoryDiagnoser]
public class ManifestParsingBenchmarks
{
    private byte[] imageManifest = [];
    private byte[] imageIndex = [];

    [GlobalSetup]
    public void Setup()
    {
        imageManifest = Encoding.UTF8.GetBytes(CreateImageManifest(layerCount: 10));
        imageIndex = Encoding.UTF8.GetBytes(CreateIndex());
    }

    [Benchmark(Description = "image manifest, 10 layers")]
    public ManifestDocument ImageManifest() => ManifestParser.Parse(imageManifest, MediaTypes.OciManifest);

    [Benchmark(Description = "image index, 5 platforms")]
    public ManifestDocument ImageIndex() => ManifestParser.Parse(imageIndex, MediaTypes.OciIndex);

    private static string CreateImageManifest(int layerCount)
    {
        var layers = Enumerable.Range(0, layerCount).Select(i => Descriptor(MediaTypes.OciLayerGzip, 3_000_000 + (i * 7_919)));
        return $$"""
            {
              "schemaVersion": 2,
              "mediaType": "{{MediaTypes.OciManifest}}",
              "config": {{Descriptor(MediaTypes.OciConfig, 7_023)}},
              "layers": [{{string.Join(",", layers)}}],
              "annotations": {
                "org.opencontainers.image.created": "2025-06-01T12:00:00Z",
                "org.opencontainers.image.source": "https://example.com/acme/shop",
                "org.opencontainers.image.revision": "3f6c1d9a0b8e7f5c4d3b2a1908f7e6d5c4b3a291",
                "org.opencontainers.image.base.name": "docker.io/library/debian:bookworm-slim"
              }
            }
            """;
    }

    private static string CreateIndex()
    {
        (string Os, string Architecture, string? Variant)[] platforms =
        [
            ("linux", "amd64", null), ("linux", "arm64", "v8"), ("linux", "arm", "v7"), ("linux", "ppc64le", null), ("linux", "s390x", null),
        ];
        var manifests = platforms.Select((p, i) =>
        {
            var variant = p.Variant is null ? string.Empty : $", \"variant\": \"{p.Variant}\"";
            var platform = $$"""{"architecture": "{{p.Architecture}}", "os": "{{p.Os}}"{{variant}}}""";
            return $$"""
                {"mediaType": "{{MediaTypes.OciManifest}}", "digest": "{{FakeDigest(i)}}", "size": {{1_600 + i}}, "platform": {{platform}} }
                """;
        });
        return $$"""
            {
              "schemaVersion": 2,
              "mediaType": "{{MediaTypes.OciIndex}}",
              "manifests": [{{string.Join(",", manifests)}}],
              "annotations": {"org.opencontainers.image.created": "2025-06-01T12:00:00Z"}
            }
            """;
    }

    private static string Descriptor(string mediaType, long size) =>
        $$"""{"mediaType": "{{mediaType}}", "digest": "{{FakeDigest(size)}}", "size": {{size}}}""";

    private static string FakeDigest(long seed) =>
        Digest.Compute(Encoding.ASCII.GetBytes(seed.ToString(CultureInfo.InvariantCulture))).ToString();
}
