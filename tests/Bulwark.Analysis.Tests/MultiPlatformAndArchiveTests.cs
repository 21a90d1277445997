using System.Formats.Tar;
using System.Text.Json;
using Bulwark.Analysis.Sources;
using Bulwark.Analysis.Tests.Fixtures;
using Bulwark.Oci;

namespace Bulwark.Analysis.Tests;

/// <summary>Platform selection in (nested) indexes, and docker-archive tars in the newer OCI-inside form.</summary>
public sealed class MultiPlatformAndArchiveTests : IAsyncLifetime
{
    private string directory = "";
    private string layout = "";

    public async Task InitializeAsync()
    {
        directory = Directory.CreateTempSubdirectory("bulwark-multi-").FullName;
        layout = Path.Combine(directory, "layout");
        var manifests = new List<object>();
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            var tar = Path.Combine(directory, architecture + ".tar");
            using (var builder = new TarBuilder())
            {
                await File.WriteAllBytesAsync(tar, builder.File("etc/os-release", $"ID=debian\nVERSION_ID=\"12\"\n")
                    .File("var/lib/dpkg/status", $"Package: only-{architecture}\nStatus: install ok installed\nVersion: 1\nArchitecture: {architecture}\n").ToArray());
            }

            var (digest, size) = await OciLayoutWriter.WriteAsync(layout, architecture, [(tar, OciLayoutWriter.Compression.Gzip, "ADD")], architecture);
            manifests.Add(new { mediaType = MediaTypes.OciManifest, digest, size, platform = new { os = "linux", architecture } });
        }

        // A build attestation, as buildx adds, must never be picked as an image.
        manifests.Add(new { mediaType = MediaTypes.OciManifest, digest = "sha256:" + new string('0', 64), size = 10, platform = new { os = "unknown", architecture = "unknown" } });
        var nested = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = MediaTypes.OciIndex, manifests });
        var nestedDigest = await OciLayoutWriter.WriteBlobAsync(layout, nested);
        await File.WriteAllBytesAsync(Path.Combine(layout, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            manifests = new[] { new { mediaType = MediaTypes.OciIndex, digest = nestedDigest, size = nested.Length, annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = "multi" } } },
        }));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<List<string>> PackagesAsync(PlatformSelection platforms)
    {
        await using var source = new OciLayoutSource(layout, "multi");
        var inventories = await new ImageAnalyzer().AnalyzeAsync(source, platforms, CancellationToken.None);
        return [.. inventories.Select(i => $"{i.Platform} {string.Join(',', i.Packages.Select(p => p.Name))}")];
    }

    [Fact]
    public async Task DefaultPlatform_IsLinuxAmd64() =>
        Assert.Equal(["linux/amd64 only-amd64"], await PackagesAsync(PlatformSelection.Default));

    [Fact]
    public async Task RequestedPlatform_IsPicked() =>
        Assert.Equal(["linux/arm64 only-arm64"], await PackagesAsync(PlatformSelection.Parse("linux/arm64")));

    [Fact]
    public async Task AllPlatforms_AreAnalysedAndAttestationsSkipped() =>
        Assert.Equal(["linux/amd64 only-amd64", "linux/arm64 only-arm64"], await PackagesAsync(PlatformSelection.All));

    [Fact]
    public async Task MissingPlatform_NamesTheAvailableOnes()
    {
        var error = await Assert.ThrowsAsync<ImageSourceException>(() => PackagesAsync(PlatformSelection.Parse("linux/s390x")));

        Assert.Contains("linux/arm64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DockerArchiveWithOciLayoutInside_IsRead()
    {
        // docker save since Engine 25: an OCI layout plus manifest.json naming blobs/sha256/<hex>.
        var (digest, _) = await OciLayoutWriter.WriteAsync(Path.Combine(directory, "single"), "x",
            [(Path.Combine(directory, "arm64.tar"), OciLayoutWriter.Compression.None, "ADD")], "arm64");
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(OciLayoutWriter.BlobPath(Path.Combine(directory, "single"), digest)));
        var config = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
        var layer = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
        await File.WriteAllTextAsync(Path.Combine(directory, "single", "manifest.json"), JsonSerializer.Serialize(new[]
        {
            new { Config = "blobs/sha256/" + config[7..], RepoTags = new[] { "x:latest" }, Layers = new[] { "blobs/sha256/" + layer[7..] } },
        }));
        var archive = Path.Combine(directory, "docker-save.tar");
        await TarFile.CreateFromDirectoryAsync(Path.Combine(directory, "single"), archive, includeBaseDirectory: false);
        await using var source = ImageSources.Open(archive);

        var inventory = Assert.Single(await new ImageAnalyzer().AnalyzeAsync(source, null, CancellationToken.None));

        Assert.IsType<DockerArchiveSource>(source);
        Assert.Equal("only-arm64", Assert.Single(inventory.Packages).Name);
        Assert.Equal(layer, inventory.Layers[0].Digest);
        Assert.Equal("linux/arm64", inventory.Platform?.ToString());
    }
}
