using System.Text.Json;
using Bulwark.Interop.Tests.Conformance;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Clients;

/// <summary>buildah builds an image from scratch in private storage and pushes it to the live registry.</summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed class BuildahTests(LiveRegistryFixture registry)
{
    private readonly RegistryApi api = new(registry.Http);
    private readonly string repository = TestDeadline.UniqueRepository("interop/buildah");
    private readonly CancellationToken cancellation = TestDeadline.Start();

    [Fact]
    public async Task BuildahPush_ImageBuiltFromScratch_IsServedWithPushedDigestAndConfig()
    {
        using var storage = new ContainerStorage();
        var payload = storage.TempPath("greeting.txt");
        await File.WriteAllTextAsync(payload, "built by buildah for the Bulwark interop tests\n", cancellation);

        var container = (await BuildahAsync(storage, "from", "scratch")).StandardOutput.Trim();
        await BuildahAsync(storage, "copy", container, payload, "/greeting.txt");
        await BuildahAsync(storage, "config", "--arch", "amd64", "--os", "linux", "--label", "org.opencontainers.image.title=bulwark-interop", container);
        var imageId = (await BuildahAsync(storage, "commit", "--quiet", "--format", "oci", container, "bulwark-interop-buildah")).StandardOutput.Trim();

        var digestFile = storage.TempPath("pushed-digest");
        await BuildahAsync(storage, "push", "--tls-verify=false", "--digestfile", digestFile, "bulwark-interop-buildah", $"docker://{registry.HostPort}/{repository}:v1");
        var pushedDigest = (await File.ReadAllTextAsync(digestFile, cancellation)).Trim();

        var manifest = (await api.ManifestAsync(HttpMethod.Get, repository, "v1", cancellation)).ExpectStatus(200);
        Assert.True(manifest.Header("Docker-Content-Digest") == pushedDigest, $"registry should serve {pushedDigest}\n{manifest.Describe()}");
        Assert.Equal(pushedDigest, TestBlob.DigestOf(manifest.Body));
        using var document = manifest.Json();
        var config = document.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
        Assert.Equal("sha256:" + imageId, config);
        foreach (var layer in document.RootElement.GetProperty("layers").EnumerateArray())
        {
            var blob = (await api.BlobAsync(HttpMethod.Get, repository, layer.GetProperty("digest").GetString()!, cancellation)).ExpectStatus(200);
            Assert.Equal(layer.GetProperty("digest").GetString(), TestBlob.DigestOf(blob.Body));
        }

        var configBlob = (await api.BlobAsync(HttpMethod.Get, repository, config, cancellation)).ExpectStatus(200);
        using var image = JsonDocument.Parse(configBlob.Body);
        Assert.Equal("bulwark-interop", image.RootElement.GetProperty("config").GetProperty("Labels").GetProperty("org.opencontainers.image.title").GetString());
    }

    private async Task<ToolResult> BuildahAsync(ContainerStorage storage, params string[] arguments)
    {
        var result = await ToolProcess.RunAsync("buildah", [.. storage.Options, .. arguments], cancellation);
        Assert.True(result.Succeeded, result.Describe() + "\n--- registry log ---\n" + registry.RecentLog);
        return result;
    }
}
