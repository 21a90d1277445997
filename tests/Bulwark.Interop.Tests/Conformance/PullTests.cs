using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Conformance;

/// <summary>
/// OCI distribution-spec conformance, workflow "Pull" (suite file 01_pull_test.go). Each test seeds its
/// own repository exactly as the suite's setup does (configs 0 and 1, the layer, manifest 0 by tag,
/// manifest 1 by digest) and then performs one of the suite's checks.
/// </summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed class PullTests(LiveRegistryFixture registry)
{
    private readonly RegistryApi api = new(registry.Http);
    private readonly ConformanceContent content = new();
    private readonly string repository = TestDeadline.UniqueRepository("conformance/pull");
    private readonly CancellationToken cancellation = TestDeadline.Start();

    // end-4a, end-6: setup "Populate registry with test blob" (config 0).
    [Fact]
    public async Task Pull_Setup_PushConfigBlob0_Succeeds() =>
        (await api.PushBlobAsync(repository, content.Configs[0], cancellation)).ExpectSuccessOr();

    // end-4a, end-6: setup "Populate registry with test blob" (config 1).
    [Fact]
    public async Task Pull_Setup_PushConfigBlob1_Succeeds() =>
        (await api.PushBlobAsync(repository, content.Configs[1], cancellation)).ExpectSuccessOr();

    // end-4a, end-6: setup "Populate registry with test layer".
    [Fact]
    public async Task Pull_Setup_PushLayer_Succeeds() =>
        (await api.PushBlobAsync(repository, content.Layer, cancellation)).ExpectSuccessOr();

    // end-7: setup "Populate registry with test manifest" (manifest 0 by tag).
    [Fact]
    public async Task Pull_Setup_PushManifestByTag_Succeeds()
    {
        await api.SeedBlobAsync(repository, content.Configs[0], cancellation);
        await api.SeedBlobAsync(repository, content.Layer, cancellation);
        (await api.PutManifestAsync(repository, ConformanceContent.TagTest0, content.Manifests[0], cancellation)).ExpectSuccessOr();
    }

    // end-7: setup "Populate registry with test manifest" (manifest 1 by digest).
    [Fact]
    public async Task Pull_Setup_PushManifestByDigest_Succeeds()
    {
        await api.SeedBlobAsync(repository, content.Configs[1], cancellation);
        await api.SeedBlobAsync(repository, content.Layer, cancellation);
        (await api.PutManifestAsync(repository, content.Manifests[1].Digest, content.Manifests[1], cancellation)).ExpectSuccessOr();
    }

    // end-2: "HEAD request to nonexistent blob should result in 404 response".
    [Fact]
    public async Task PullBlob_HeadNonexistent_Returns404()
    {
        await SeedAsync();
        (await api.BlobAsync(HttpMethod.Head, repository, ConformanceContent.DummyDigest, cancellation)).ExpectStatus(404);
    }

    // end-2: "HEAD request to existing blob should yield 200" (and Docker-Content-Digest, if sent, is the digest).
    [Fact]
    public async Task PullBlob_HeadExisting_Returns200WithDigest()
    {
        await SeedAsync();
        var response = (await api.BlobAsync(HttpMethod.Head, repository, content.Configs[0].Digest, cancellation)).ExpectStatus(200);
        ExpectDigestHeaderIfPresent(response, content.Configs[0].Digest);
    }

    // end-2: "GET nonexistent blob should result in 404 response".
    [Fact]
    public async Task PullBlob_GetNonexistent_Returns404()
    {
        await SeedAsync();
        (await api.BlobAsync(HttpMethod.Get, repository, ConformanceContent.DummyDigest, cancellation)).ExpectStatus(404);
    }

    // end-2: "GET request to existing blob URL should yield 200".
    [Fact]
    public async Task PullBlob_GetExisting_Returns200()
    {
        await SeedAsync();
        (await api.BlobAsync(HttpMethod.Get, repository, content.Configs[0].Digest, cancellation)).ExpectStatus(200);
    }

    // end-3: "HEAD request to nonexistent manifest should return 404".
    [Fact]
    public async Task PullManifest_HeadNonexistent_Returns404()
    {
        await SeedAsync();
        (await api.ManifestAsync(HttpMethod.Head, repository, ConformanceContent.NonexistentManifest, cancellation)).ExpectStatus(404);
    }

    // end-3: "HEAD request to manifest[0] path (digest) should yield 200 response".
    [Fact]
    public async Task PullManifest_HeadManifest0ByDigest_Returns200WithDigest()
    {
        await SeedAsync();
        var response = (await api.ManifestAsync(HttpMethod.Head, repository, content.Manifests[0].Digest, cancellation)).ExpectStatus(200);
        ExpectDigestHeaderIfPresent(response, content.Manifests[0].Digest);
    }

    // end-3: "HEAD request to manifest[1] path (digest) should yield 200 response".
    [Fact]
    public async Task PullManifest_HeadManifest1ByDigest_Returns200WithDigest()
    {
        await SeedAsync();
        var response = (await api.ManifestAsync(HttpMethod.Head, repository, content.Manifests[1].Digest, cancellation)).ExpectStatus(200);
        ExpectDigestHeaderIfPresent(response, content.Manifests[1].Digest);
    }

    // end-3: "HEAD request to manifest path (tag) should yield 200 response".
    [Fact]
    public async Task PullManifest_HeadByTag_Returns200WithDigest()
    {
        await SeedAsync();
        var response = (await api.ManifestAsync(HttpMethod.Head, repository, ConformanceContent.TagTest0, cancellation)).ExpectStatus(200);
        ExpectDigestHeaderIfPresent(response, content.Manifests[0].Digest);
    }

    // end-3: "GET nonexistent manifest should return 404".
    [Fact]
    public async Task PullManifest_GetNonexistent_Returns404()
    {
        await SeedAsync();
        (await api.ManifestAsync(HttpMethod.Get, repository, ConformanceContent.NonexistentManifest, cancellation)).ExpectStatus(404);
    }

    // end-3: "GET request to manifest[0] path (digest) should yield 200 response".
    [Fact]
    public async Task PullManifest_GetManifest0ByDigest_Returns200()
    {
        await SeedAsync();
        (await api.ManifestAsync(HttpMethod.Get, repository, content.Manifests[0].Digest, cancellation)).ExpectStatus(200);
    }

    // end-3: "GET request to manifest[1] path (digest) should yield 200 response".
    [Fact]
    public async Task PullManifest_GetManifest1ByDigest_Returns200()
    {
        await SeedAsync();
        (await api.ManifestAsync(HttpMethod.Get, repository, content.Manifests[1].Digest, cancellation)).ExpectStatus(200);
    }

    // end-3: "GET request to manifest path (tag) should yield 200 response".
    [Fact]
    public async Task PullManifest_GetByTag_Returns200()
    {
        await SeedAsync();
        (await api.ManifestAsync(HttpMethod.Get, repository, ConformanceContent.TagTest0, cancellation)).ExpectStatus(200);
    }

    // end-3: "400 response body should contain OCI-conforming JSON message". A malformed digest reference
    // is answered 400 with an error body whose first code is one of the spec's codes, or 404.
    [Fact]
    public async Task PullErrorCodes_MalformedDigestReference_Returns400WithOciErrorOr404()
    {
        await SeedAsync();
        var response = (await api.SendAsync(
            HttpMethod.Get,
            api.Url($"v2/{repository}/manifests/sha256:totallywrong"),
            cancellation,
            body: "blablabla"u8.ToArray(),
            contentType: RegistryApi.OciManifest)).ExpectStatus(400, 404);
        if (response.Status == 400)
        {
            var codes = response.ErrorCodes();
            Assert.True(codes.Count > 0, response.Describe());
            Assert.True(OciErrorCodes.All.Contains(codes[0]), $"'{codes[0]}' is not an OCI error code\n{response.Describe()}");
        }
    }

    // end-9: teardown "Delete manifest[0] created in setup" (2xx, or 405 when deletion is disabled).
    [Fact]
    public async Task Pull_Teardown_DeleteManifest0_Returns2xxOr405()
    {
        await SeedAsync();
        (await api.DeleteManifestAsync(repository, content.Manifests[0].Digest, cancellation)).ExpectSuccessOr(405);
    }

    // end-9: teardown "Delete manifest[1] created in setup".
    [Fact]
    public async Task Pull_Teardown_DeleteManifest1_Returns2xxOr405()
    {
        await SeedAsync();
        (await api.DeleteManifestAsync(repository, content.Manifests[1].Digest, cancellation)).ExpectSuccessOr(405);
    }

    // end-10: teardown "Delete config[0] blob created in setup" (after the manifests, as the suite's default order).
    [Fact]
    public async Task Pull_Teardown_DeleteConfigBlob0_Returns2xxOr404Or405()
    {
        await SeedAndDeleteManifestsAsync();
        (await api.DeleteBlobAsync(repository, content.Configs[0].Digest, cancellation)).ExpectSuccessOr(404, 405);
    }

    // end-10: teardown "Delete config[1] blob created in setup".
    [Fact]
    public async Task Pull_Teardown_DeleteConfigBlob1_Returns2xxOr404Or405()
    {
        await SeedAndDeleteManifestsAsync();
        (await api.DeleteBlobAsync(repository, content.Configs[1].Digest, cancellation)).ExpectSuccessOr(404, 405);
    }

    // end-10: teardown "Delete layer blob created in setup".
    [Fact]
    public async Task Pull_Teardown_DeleteLayerBlob_Returns2xxOr404Or405()
    {
        await SeedAndDeleteManifestsAsync();
        (await api.DeleteBlobAsync(repository, content.Layer.Digest, cancellation)).ExpectSuccessOr(404, 405);
    }

    private static void ExpectDigestHeaderIfPresent(RegistryResponse response, string digest)
    {
        if (response.Header("Docker-Content-Digest") is { Length: > 0 } header)
        {
            Assert.True(header == digest, $"Docker-Content-Digest should be {digest}\n{response.Describe()}");
        }
    }

    /// <summary>The suite's pull setup; every step must succeed.</summary>
    private async Task SeedAsync()
    {
        await api.SeedBlobAsync(repository, content.Configs[0], cancellation);
        await api.SeedBlobAsync(repository, content.Configs[1], cancellation);
        await api.SeedBlobAsync(repository, content.Layer, cancellation);
        await api.SeedManifestAsync(repository, ConformanceContent.TagTest0, content.Manifests[0], cancellation);
        await api.SeedManifestAsync(repository, content.Manifests[1].Digest, content.Manifests[1], cancellation);
    }

    private async Task SeedAndDeleteManifestsAsync()
    {
        await SeedAsync();
        (await api.DeleteManifestAsync(repository, content.Manifests[0].Digest, cancellation)).ExpectSuccessOr(405);
        (await api.DeleteManifestAsync(repository, content.Manifests[1].Digest, cancellation)).ExpectSuccessOr(405);
    }
}
