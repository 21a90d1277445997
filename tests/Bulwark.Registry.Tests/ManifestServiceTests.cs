using System.Text;
using Bulwark.Oci;

namespace Bulwark.Registry.Tests;

public sealed class ManifestServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Put_ThenFindByTagAndDigest_ReturnsSameManifest(string database)
    {
        await using var registry = await RegistryHarness.CreateAsync(database: database);
        var pushed = await registry.PushImageAsync("app", "v1", "layer");

        var byTag = await registry.Manifests.FindAsync("app", "v1", None);
        var byDigest = await registry.Manifests.FindAsync("app", pushed.Digest.ToString(), None);

        Assert.Equal(pushed.Digest, byTag!.Digest);
        Assert.Equal(pushed.Digest, byDigest!.Digest);
        Assert.Equal(MediaTypes.OciManifest, byTag.MediaType);
        var content = await registry.Manifests.ReadContentAsync(byTag, None);
        Assert.Equal(pushed.Digest, Digest.Compute(content.Span));
    }

    [Fact]
    public async Task Put_ReferencingBlobOfAnotherRepository_IsManifestBlobUnknown()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var config = await registry.PushBlobAsync("other", "{}"u8.ToArray());
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
             "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{config}}","size":2},"layers":[]}
            """);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Manifests.PutAsync("app", "v1", manifest, MediaTypes.OciManifest, None));

        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, error.Code);
        Assert.Null(await registry.Manifests.FindAsync("app", "v1", None));
    }

    [Fact]
    public async Task Put_IndexWithUnknownChild_IsManifestBlobUnknown()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var index = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[
              {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{Digest.Compute("x"u8)}}","size":1}]}
            """);
        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Manifests.PutAsync("app", "multi", index, MediaTypes.OciIndex, None));
        Assert.Equal(RegistryErrorCode.ManifestBlobUnknown, error.Code);
    }

    [Fact]
    public async Task Put_DigestReferenceMismatch_IsDigestInvalid()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var image = await registry.PushImageAsync("app", "v1", "layer");
        var content = await registry.Manifests.ReadContentAsync(image, None);
        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Manifests.PutAsync("app", Digest.Compute("other"u8).ToString(), content, MediaTypes.OciManifest, None));
        Assert.Equal(RegistryErrorCode.DigestInvalid, error.Code);
    }

    [Fact]
    public async Task Put_BySha512Digest_IsStoredUnderThatDigest()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var image = await registry.PushImageAsync("app", "v1", "layer");
        var content = await registry.Manifests.ReadContentAsync(image, None);
        var sha512 = Digest.Compute(content.Span, Digest.Sha512);
        var stored = await registry.Manifests.PutAsync("app", sha512.ToString(), content, MediaTypes.OciManifest, None);
        Assert.Equal(sha512, stored.Digest);
        Assert.NotNull(await registry.Manifests.FindAsync("app", sha512.ToString(), None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"schemaVersion\":2}")]
    public async Task Put_Malformed_IsManifestInvalid(string body)
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Manifests.PutAsync("app", "v1", Encoding.UTF8.GetBytes(body), MediaTypes.OciManifest, None));
        Assert.Equal(RegistryErrorCode.ManifestInvalid, error.Code);
    }

    [Fact]
    public async Task Put_OverTheLimit_IsTooLarge()
    {
        await using var registry = await RegistryHarness.CreateAsync(o => o with { MaxManifestBytes = 64 });
        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Manifests.PutAsync("app", "v1", new byte[65], MediaTypes.OciManifest, None));
        Assert.Equal(RegistryErrorCode.ManifestTooLarge, error.Code);
    }

    [Fact]
    public async Task Find_MalformedDigest_IsDigestInvalid()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.Manifests.FindAsync("app", "sha256:short", None));
        Assert.Equal(RegistryErrorCode.DigestInvalid, error.Code);
    }

    [Fact]
    public async Task Find_TagOutsideTheGrammar_IsNotFound()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        await registry.PushImageAsync("app", "v1", "layer");
        Assert.Null(await registry.Manifests.FindAsync("app", ".INVALID", None));
    }

    [Fact]
    public async Task DeleteByTag_RemovesOnlyTheTag()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var image = await registry.PushImageAsync("app", "v1", "layer");
        await registry.Manifests.DeleteAsync("app", "v1", None);
        Assert.Null(await registry.Manifests.FindAsync("app", "v1", None));
        Assert.NotNull(await registry.Manifests.FindAsync("app", image.Digest.ToString(), None));
        var again = await Assert.ThrowsAsync<RegistryException>(() => registry.Manifests.DeleteAsync("app", "v1", None));
        Assert.Equal(RegistryErrorCode.ManifestUnknown, again.Code);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task DeleteByDigest_RemovesManifestAndItsTags(string database)
    {
        await using var registry = await RegistryHarness.CreateAsync(database: database);
        var image = await registry.PushImageAsync("app", "v1", "layer");
        await registry.PushImageAsync("app", "v2", "layer");
        await registry.Manifests.DeleteAsync("app", image.Digest.ToString(), None);
        Assert.Null(await registry.Manifests.FindAsync("app", "v2", None));
        Assert.Empty((await registry.Manifests.ListTagsAsync("app", null, null, None)).Items);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ListTags_PaginatesInLexicalOrder(string database)
    {
        await using var registry = await RegistryHarness.CreateAsync(database: database);
        foreach (var tag in new[] { "b", "a", "C", "10", "9", "a1" })
        {
            await registry.PushImageAsync("app", tag, "layer");
        }

        var all = await registry.Manifests.ListTagsAsync("app", null, null, None);
        Assert.Equal(["10", "9", "C", "a", "a1", "b"], all.Items);
        Assert.Null(all.Last);

        var first = await registry.Manifests.ListTagsAsync("app", 2, null, None);
        Assert.Equal(["10", "9"], first.Items);
        Assert.Equal("9", first.Last);
        var second = await registry.Manifests.ListTagsAsync("app", 2, first.Last, None);
        Assert.Equal(["C", "a"], second.Items);
        var last = await registry.Manifests.ListTagsAsync("app", 2, "a", None);
        Assert.Equal(["a1", "b"], last.Items);
        Assert.Null(last.Last);
        Assert.Empty((await registry.Manifests.ListTagsAsync("app", 0, null, None)).Items);
        await Assert.ThrowsAsync<RegistryException>(() => registry.Manifests.ListTagsAsync("app", -1, null, None));
        var unknown = await Assert.ThrowsAsync<RegistryException>(() => registry.Manifests.ListTagsAsync("nope", null, null, None));
        Assert.Equal(RegistryErrorCode.NameUnknown, unknown.Code);
    }

    [Fact]
    public async Task ListTags_PageSizeIsCappedByTheLimit()
    {
        await using var registry = await RegistryHarness.CreateAsync(o => o with { MaxPageSize = 2 });
        foreach (var tag in new[] { "a", "b", "c" })
        {
            await registry.PushImageAsync("app", tag, "layer");
        }

        var page = await registry.Manifests.ListTagsAsync("app", 100, null, None);
        Assert.Equal(["a", "b"], page.Items);
        Assert.Equal("b", page.Last);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ConcurrentPushes_ToTheSameTag_LeaveOneConsistentTag(string database)
    {
        await using var registry = await RegistryHarness.CreateAsync(database: database);
        var pushes = Enumerable.Range(0, 8).Select(i => registry.PushImageAsync("app", "latest", $"layer {i}"));
        var results = await Task.WhenAll(pushes);
        var tags = await registry.Manifests.ListTagsAsync("app", null, null, None);
        Assert.Equal(["latest"], tags.Items);
        var current = await registry.Manifests.FindAsync("app", "latest", None);
        Assert.Contains(current!.Digest, results.Select(r => r.Digest));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Referrers_ListsManifestsWithSubject_FilteredByArtifactType(string database)
    {
        await using var registry = await RegistryHarness.CreateAsync(database: database);
        var subject = Digest.Compute("subject that is not pushed yet"u8).ToString();
        var referrer = await registry.PushImageAsync("app", "sig", "signature", subject);

        var all = await registry.Manifests.ListReferrersAsync("app", Digest.Parse(subject), null, None);
        var filtered = await registry.Manifests.ListReferrersAsync("app", Digest.Parse(subject), MediaTypes.OciConfig, None);
        var none = await registry.Manifests.ListReferrersAsync("app", Digest.Parse(subject), "application/other", None);

        Assert.Equal(referrer.Digest.ToString(), Assert.Single(all).Digest);
        Assert.Equal(MediaTypes.OciConfig, all[0].ArtifactType);
        Assert.Single(filtered);
        Assert.Empty(none);
        Assert.Empty(await registry.Manifests.ListReferrersAsync("unknown", Digest.Parse(subject), null, None));
    }
}
