using System.Text.Json;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Conformance;

/// <summary>
/// OCI distribution-spec conformance, workflow "Content Management" (suite file 04_management_test.go):
/// deleting a tag, a manifest by digest and blobs, and what reads answer afterwards.
/// </summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed class ContentManagementTests(LiveRegistryFixture registry)
{
    private readonly RegistryApi api = new(registry.Http);
    private readonly ConformanceContent content = new();
    private readonly string repository = TestDeadline.UniqueRepository("conformance/management");
    private readonly CancellationToken cancellation = TestDeadline.Start();

    // end-4a, end-6: setup "Populate registry with test config blob" (config 3).
    [Fact]
    public async Task Management_Setup_PushConfigBlob_Succeeds() =>
        (await api.PushBlobAsync(repository, content.Configs[3], cancellation)).ExpectSuccessOr();

    // end-4a, end-6: setup "Populate registry with test layer".
    [Fact]
    public async Task Management_Setup_PushLayer_Succeeds() =>
        (await api.PushBlobAsync(repository, content.Layer, cancellation)).ExpectSuccessOr();

    // end-7: setup "Populate registry with test tag" (tagtest0 → manifest 3).
    [Fact]
    public async Task Management_Setup_PushTag_Succeeds()
    {
        await api.SeedBlobAsync(repository, content.Configs[3], cancellation);
        await api.SeedBlobAsync(repository, content.Layer, cancellation);
        (await api.PutManifestAsync(repository, ConformanceContent.TagTest0, content.Manifests[3], cancellation)).ExpectSuccessOr();
    }

    // end-8a: setup "Check how many tags there are before anything gets deleted": 200 with a JSON tag list
    // (stricter than the suite: it must list exactly the one tag pushed).
    [Fact]
    public async Task Management_Setup_ListTags_Returns200WithTagList()
    {
        await SeedAsync();
        Assert.Equal(1, await CountTagsAsync());
    }

    // end-9: "DELETE request to manifest tag should return 202, unless tag deletion is disallowed (400/405)";
    // a 400 must carry the UNSUPPORTED error code.
    [Fact]
    public async Task ManifestDelete_ByTag_Returns202Or400UnsupportedOr405()
    {
        await SeedAsync();
        var response = await DeleteTagAsync();
        if (response.Status == 400)
        {
            var codes = response.ErrorCodes();
            Assert.True(codes.Count > 0 && codes[0] == OciErrorCodes.Unsupported, $"400 should carry UNSUPPORTED\n{response.Describe()}");
        }
    }

    // end-9: "DELETE request to manifest (digest) should yield 202 response unless already deleted" (404).
    [Fact]
    public async Task ManifestDelete_ByDigest_Returns202Or404()
    {
        await SeedAsync();
        await DeleteTagAsync();
        (await api.DeleteManifestAsync(repository, content.Manifests[3].Digest, cancellation)).ExpectStatus(202, 404);
    }

    // end-3: "GET request to deleted manifest URL should yield 404 response, unless delete is disallowed" (200).
    [Fact]
    public async Task ManifestDelete_GetDeletedManifest_Returns404Or200()
    {
        await SeedAndDeleteManifestAsync();
        (await api.ManifestAsync(HttpMethod.Get, repository, content.Manifests[3].Digest, cancellation)).ExpectStatus(404, 200);
    }

    // end-8a: "GET request to tags list should reflect manifest deletion": one tag fewer, or 404 when none is left.
    [Fact]
    public async Task ManifestDelete_TagList_ReflectsDeletion()
    {
        await SeedAsync();
        var before = await CountTagsAsync();
        await DeleteTagAsync();
        (await api.DeleteManifestAsync(repository, content.Manifests[3].Digest, cancellation)).ExpectStatus(202, 404);
        var response = (await api.TagsAsync(repository, cancellation)).ExpectStatus(200, 404);
        if (response.Status == 200)
        {
            Assert.True(TagCount(response) == before - 1, $"expected {before - 1} tags\n{response.Describe()}");
        }
        else
        {
            Assert.True(before - 1 == 0, $"404 while {before - 1} tags should remain\n{response.Describe()}");
        }
    }

    // end-10: "DELETE request to blob URL should yield 202 response" (config and layer; 404/405 tolerated).
    [Fact]
    public async Task BlobDelete_ConfigAndLayer_Returns202Or404Or405()
    {
        await SeedAndDeleteManifestAsync();
        (await api.DeleteBlobAsync(repository, content.Configs[3].Digest, cancellation)).ExpectStatus(202, 404, 405);
        (await api.DeleteBlobAsync(repository, content.Layer.Digest, cancellation)).ExpectStatus(202, 404, 405);
    }

    // end-2: "GET request to deleted blob URL should yield 404 response". The suite skips this when blob
    // deletion answered 405; Bulwark supports blob deletion, so here the delete must be accepted first.
    [Fact]
    public async Task BlobDelete_GetDeletedBlob_Returns404()
    {
        await SeedAndDeleteManifestAsync();
        (await api.DeleteBlobAsync(repository, content.Configs[3].Digest, cancellation)).ExpectStatus(202, 404);
        (await api.DeleteBlobAsync(repository, content.Layer.Digest, cancellation)).ExpectStatus(202, 404);
        (await api.BlobAsync(HttpMethod.Get, repository, content.Configs[3].Digest, cancellation)).ExpectStatus(404);
    }

    private static int TagCount(RegistryResponse response)
    {
        using var document = response.Json();
        return document.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.GetArrayLength()
            : 0;
    }

    private async Task<int> CountTagsAsync() =>
        TagCount((await api.TagsAsync(repository, cancellation)).ExpectStatus(200));

    private async Task<RegistryResponse> DeleteTagAsync() =>
        (await api.DeleteManifestAsync(repository, ConformanceContent.TagTest0, cancellation)).ExpectStatus(400, 202, 405);

    private async Task SeedAsync()
    {
        await api.SeedBlobAsync(repository, content.Configs[3], cancellation);
        await api.SeedBlobAsync(repository, content.Layer, cancellation);
        await api.SeedManifestAsync(repository, ConformanceContent.TagTest0, content.Manifests[3], cancellation);
    }

    private async Task SeedAndDeleteManifestAsync()
    {
        await SeedAsync();
        await DeleteTagAsync();
        (await api.DeleteManifestAsync(repository, content.Manifests[3].Digest, cancellation)).ExpectStatus(202, 404);
    }
}
