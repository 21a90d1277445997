using System.Formats.Tar;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Interop.Tests.Conformance;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Clients;

/// <summary>
/// skopeo against the live registry: copies in and out through OCI layouts and docker-archives, a
/// multi-platform index with <c>--all</c>, inspect, delete and list-tags. Round trips must give back the
/// very same manifest and blob digests.
/// </summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed class SkopeoTests(LiveRegistryFixture registry) : IDisposable
{
    private readonly RegistryApi api = new(registry.Http);
    private readonly string repository = TestDeadline.UniqueRepository("interop/skopeo");
    private readonly CancellationToken cancellation = TestDeadline.Start();
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("bulwark-skopeo-");

    [Fact]
    public async Task SkopeoCopy_OciLayoutToRegistryAndBack_PreservesManifestAndBlobDigests()
    {
        var images = await TestImages.EnsureAsync(cancellation);
        var original = images.Layout.ManifestDigest(TestImages.Amd64);

        await SkopeoAsync("copy", "--dest-tls-verify=false", images.Reference(TestImages.Amd64), Remote("v1"));
        await ExpectRegistryDigestAsync("v1", original);

        var back = new OciLayout(Path.Combine(work.FullName, "back"));
        await SkopeoAsync("copy", "--src-tls-verify=false", Remote("v1"), $"oci:{back.Path}:v1");
        Assert.Equal(original, back.ManifestDigest("v1"));
        Assert.Equal(images.Layout.Closure(original), back.Closure(original));
        Assert.Equal(images.Layout.ReadBlob(original), back.ReadBlob(original));
    }

    [Fact]
    public async Task SkopeoCopy_DockerArchiveThroughRegistry_PreservesConfigAndLayers()
    {
        var images = await TestImages.EnsureAsync(cancellation);
        await SkopeoAsync("copy", "--dest-tls-verify=false", images.Reference(TestImages.Amd64), Remote("source"));

        // registry → docker-archive → registry (a new tag, schema 2 manifest) → docker-archive again.
        var first = Path.Combine(work.FullName, "first.tar");
        var second = Path.Combine(work.FullName, "second.tar");
        await SkopeoAsync("copy", "--src-tls-verify=false", Remote("source"), $"docker-archive:{first}:interop/archive:v1");
        await SkopeoAsync("copy", "--dest-tls-verify=false", $"docker-archive:{first}", Remote("from-archive"));
        await SkopeoAsync("copy", "--src-tls-verify=false", Remote("from-archive"), $"docker-archive:{second}:interop/archive:v1");

        var firstEntries = await ArchiveEntriesAsync(first);
        var secondEntries = await ArchiveEntriesAsync(second);
        var firstManifest = JsonNode.Parse(firstEntries["manifest.json"])![0]!;
        var secondManifest = JsonNode.Parse(secondEntries["manifest.json"])![0]!;
        Assert.Equal(firstManifest["Config"]!.GetValue<string>(), secondManifest["Config"]!.GetValue<string>());
        Assert.Equal(firstManifest["Layers"]!.ToJsonString(), secondManifest["Layers"]!.ToJsonString());
        foreach (var file in firstManifest["Layers"]!.AsArray().Select(l => l!.GetValue<string>()).Append(firstManifest["Config"]!.GetValue<string>()))
        {
            Assert.True(firstEntries[file].AsSpan().SequenceEqual(secondEntries[file]), $"{file} differs between the two archives");
        }

        // The image config travelled byte for byte: the archive's config is the one the OCI image was pushed with.
        var pushedConfig = JsonNode.Parse(images.Layout.ReadBlob(images.Layout.ManifestDigest(TestImages.Amd64)))!["config"]!["digest"]!.GetValue<string>();
        Assert.Equal(pushedConfig["sha256:".Length..] + ".json", firstManifest["Config"]!.GetValue<string>());
        var registryManifest = JsonNode.Parse((await SkopeoAsync("inspect", "--raw", "--tls-verify=false", Remote("from-archive"))).StandardOutput)!;
        Assert.Equal(pushedConfig, registryManifest["config"]!["digest"]!.GetValue<string>());
    }

    [Fact]
    public async Task SkopeoCopyAll_MultiPlatformIndex_RoundTripsIndexAndEveryPlatform()
    {
        var images = await TestImages.EnsureAsync(cancellation);
        var original = images.Layout.ManifestDigest(TestImages.MultiPlatform);

        await SkopeoAsync("copy", "--all", "--dest-tls-verify=false", images.Reference(TestImages.MultiPlatform), Remote("multi"));
        await ExpectRegistryDigestAsync("multi", original);
        var raw = await SkopeoAsync("inspect", "--raw", "--tls-verify=false", Remote("multi"));
        Assert.Equal(images.Layout.ReadBlob(original), System.Text.Encoding.UTF8.GetBytes(raw.StandardOutput.TrimEnd('\n')));

        var back = new OciLayout(Path.Combine(work.FullName, "multi"));
        await SkopeoAsync("copy", "--all", "--src-tls-verify=false", Remote("multi"), $"oci:{back.Path}:multi");
        Assert.Equal(original, back.ManifestDigest("multi"));
        Assert.Equal(images.Layout.Closure(original), back.Closure(original));

        // A platform-specific pull resolves the index to the arm64 image and its layers.
        var arm64 = await SkopeoAsync("inspect", "--tls-verify=false", "--override-arch", "arm64", "--override-os", "linux", Remote("multi"));
        using var inspected = JsonDocument.Parse(arm64.StandardOutput);
        var arm64Manifest = JsonNode.Parse(images.Layout.ReadBlob(images.Layout.ManifestDigest(TestImages.Arm64)))!;
        Assert.Equal("arm64", inspected.RootElement.GetProperty("Architecture").GetString());
        Assert.Equal(
            arm64Manifest["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()),
            inspected.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public async Task SkopeoInspect_PushedImage_ReportsDigestPlatformAndLayers()
    {
        var images = await TestImages.EnsureAsync(cancellation);
        var digest = images.Layout.ManifestDigest(TestImages.Amd64);
        await SkopeoAsync("copy", "--dest-tls-verify=false", images.Reference(TestImages.Amd64), Remote("v1"));

        var result = await SkopeoAsync("inspect", "--tls-verify=false", Remote("v1"));
        using var inspected = JsonDocument.Parse(result.StandardOutput);
        var root = inspected.RootElement;
        var manifest = JsonNode.Parse(images.Layout.ReadBlob(digest))!;
        Assert.Equal(digest, root.GetProperty("Digest").GetString());
        Assert.Equal("amd64", root.GetProperty("Architecture").GetString());
        Assert.Equal("linux", root.GetProperty("Os").GetString());
        Assert.Equal(
            manifest["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()),
            root.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));
        Assert.Contains("v1", root.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task SkopeoDelete_TaggedImage_RemovesManifest()
    {
        var images = await TestImages.EnsureAsync(cancellation);
        var digest = images.Layout.ManifestDigest(TestImages.Amd64);
        await SkopeoAsync("copy", "--dest-tls-verify=false", images.Reference(TestImages.Amd64), Remote("doomed"));

        await SkopeoAsync("delete", "--tls-verify=false", Remote("doomed"));

        (await api.ManifestAsync(HttpMethod.Head, repository, digest, cancellation)).ExpectStatus(404);
        var inspect = await ToolProcess.RunAsync("skopeo", ["inspect", "--raw", "--tls-verify=false", Remote("doomed")], cancellation);
        Assert.False(inspect.Succeeded, "inspect of a deleted image should fail\n" + inspect.Describe());
    }

    [Fact]
    public async Task SkopeoListTags_AfterPushingThreeTags_ListsExactlyThose()
    {
        var images = await TestImages.EnsureAsync(cancellation);
        string[] tags = ["1.0", "1.1", "latest"];
        foreach (var tag in tags)
        {
            await SkopeoAsync("copy", "--dest-tls-verify=false", images.Reference(TestImages.Amd64), Remote(tag));
        }

        var result = await SkopeoAsync("list-tags", "--tls-verify=false", $"docker://{registry.HostPort}/{repository}");
        using var listed = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(tags, listed.RootElement.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal));
    }

    public void Dispose() => work.Delete(recursive: true);

    private string Remote(string tag) => $"docker://{registry.HostPort}/{repository}:{tag}";

    private async Task<ToolResult> SkopeoAsync(params string[] arguments)
    {
        var result = await ToolProcess.RunAsync("skopeo", arguments, cancellation);
        Assert.True(result.Succeeded, result.Describe() + "\n--- registry log ---\n" + registry.RecentLog);
        return result;
    }

    private async Task ExpectRegistryDigestAsync(string tag, string digest)
    {
        var head = await api.SendAsync(
            HttpMethod.Head,
            api.Url($"v2/{repository}/manifests/{tag}"),
            cancellation,
            accept: $"{RegistryApi.OciManifest}, {RegistryApi.OciIndex}");
        head.ExpectStatus(200);
        Assert.True(head.Header("Docker-Content-Digest") == digest, $"registry should serve {digest}\n{head.Describe()}");
    }

    /// <summary>Regular files of a docker-archive by name (symlinks to shared layers are skipped).</summary>
    private async Task<Dictionary<string, byte[]>> ArchiveEntriesAsync(string archive)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var file = File.OpenRead(archive);
        await using var reader = new TarReader(file);
        while (await reader.GetNextEntryAsync(cancellationToken: cancellation) is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is not null)
            {
                using var buffer = new MemoryStream();
                await entry.DataStream.CopyToAsync(buffer, cancellation);
                entries[entry.Name] = buffer.ToArray();
            }
        }

        return entries;
    }
}
