using System.Text.Json;
using Bulwark.Interop.Tests.Conformance;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Clients;

/// <summary>podman push and pull through the live registry, each side with its own private storage.</summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed class PodmanTests(LiveRegistryFixture registry)
{
    private readonly RegistryApi api = new(registry.Http);
    private readonly string repository = TestDeadline.UniqueRepository("interop/podman");
    private readonly CancellationToken cancellation = TestDeadline.Start();

    [Fact]
    public async Task PodmanPushThenPull_IntoFreshStorage_GivesSameImageAndDigest()
    {
        var images = await TestImages.EnsureAsync(cancellation);
        var configDigest = ConfigDigest(images.Layout, images.Layout.ManifestDigest(TestImages.Amd64));
        var remote = $"{registry.HostPort}/{repository}:v1";

        // podman names an image pulled from a layout after its path, which must then be a valid
        // repository name: the cache path (".cache", upper case in temp names) is not, so a link is.
        var link = Path.Combine(Path.GetTempPath(), $"bulwark-oci-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(link, images.Layout.Path);
        string pushedDigest;
        try
        {
            using var pusher = new ContainerStorage();
            var pulled = await PodmanAsync(pusher, "pull", "--quiet", $"oci:{link}:{TestImages.Amd64}");
            Assert.Equal(configDigest, "sha256:" + pulled.StandardOutput.Trim());
            await PodmanAsync(pusher, "tag", configDigest["sha256:".Length..], remote);
            var digestFile = pusher.TempPath("pushed-digest");
            await PodmanAsync(pusher, "push", "--tls-verify=false", "--digestfile", digestFile, remote);
            pushedDigest = (await File.ReadAllTextAsync(digestFile, cancellation)).Trim();
        }
        finally
        {
            File.Delete(link);
        }

        var head = (await api.ManifestAsync(HttpMethod.Head, repository, "v1", cancellation)).ExpectStatus(200);
        Assert.True(head.Header("Docker-Content-Digest") == pushedDigest, $"registry should serve what podman pushed, {pushedDigest}\n{head.Describe()}");

        using var puller = new ContainerStorage();
        await PodmanAsync(puller, "pull", "--tls-verify=false", remote);
        var inspect = await PodmanAsync(puller, "image", "inspect", remote);
        using var document = JsonDocument.Parse(inspect.StandardOutput);
        var image = document.RootElement[0];
        Assert.Equal(configDigest["sha256:".Length..], image.GetProperty("Id").GetString());
        Assert.Equal(pushedDigest, image.GetProperty("Digest").GetString());
        Assert.Equal("amd64", image.GetProperty("Architecture").GetString());
    }

    private static string ConfigDigest(OciLayout layout, string manifestDigest)
    {
        using var manifest = JsonDocument.Parse(layout.ReadBlob(manifestDigest));
        return manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
    }

    private async Task<ToolResult> PodmanAsync(ContainerStorage storage, params string[] arguments)
    {
        var result = await ToolProcess.RunAsync("podman", [.. storage.PodmanOptions, .. arguments], cancellation);
        Assert.True(result.Succeeded, result.Describe() + "\n--- registry log ---\n" + registry.RecentLog);
        return result;
    }
}
