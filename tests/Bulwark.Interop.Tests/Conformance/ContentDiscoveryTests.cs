using System.Globalization;
using System.Text.Json;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Conformance;

/// <summary>
/// OCI distribution-spec conformance, workflow "Content Discovery" (suite file 03_discovery_test.go):
/// tag listing with <c>n</c>/<c>last</c> pagination, the referrers API with <c>artifactType</c> filtering,
/// and <c>OCI-Subject</c> on manifest pushes that carry a subject.
/// </summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed class ContentDiscoveryTests(LiveRegistryFixture registry)
{
    private const int TagPairs = 4;

    private readonly RegistryApi api = new(registry.Http);
    private readonly ConformanceContent content = new();
    private readonly string repository = TestDeadline.UniqueRepository("conformance/discovery");
    private readonly CancellationToken cancellation = TestDeadline.Start();

    // end-4a, end-6: setup "Populate registry with test blob" (config 2).
    [Fact]
    public async Task Discovery_Setup_PushConfigBlob_Succeeds() =>
        (await api.PushBlobAsync(repository, content.Configs[2], cancellation)).ExpectSuccessOr();

    // end-4a, end-6: setup "Populate registry with test layer".
    [Fact]
    public async Task Discovery_Setup_PushLayer_Succeeds() =>
        (await api.PushBlobAsync(repository, content.Layer, cancellation)).ExpectSuccessOr();

    // end-7: setup "Populate registry with test tags": test0…test3 and TEST0…TEST3, all on manifest 2.
    [Fact]
    public async Task Discovery_Setup_PushTags_Succeeds()
    {
        await api.SeedBlobAsync(repository, content.Configs[2], cancellation);
        await api.SeedBlobAsync(repository, content.Layer, cancellation);
        foreach (var tag in SetupTags())
        {
            (await api.PutManifestAsync(repository, tag, content.Manifests[2], cancellation)).ExpectSuccessOr();
        }
    }

    // end-7: setup "References setup": the empty JSON blob has its well-known digest, and every manifest
    // pushed with a subject (before or after the subject itself, or with a subject never pushed) is
    // accepted and answered with OCI-Subject naming that subject.
    [Fact]
    public async Task Discovery_Setup_PushReferrers_ReturnsOciSubject()
    {
        Assert.Equal(ConformanceContent.EmptyJsonDigest, content.EmptyJson.Digest);
        var pushes = await SeedReferencesAsync();
        foreach (var (response, subject) in pushes)
        {
            Assert.True(response.Header("OCI-Subject") == subject, $"OCI-Subject should be {subject}\n{response.Describe()}");
        }
    }

    // end-8a: "GET request to list tags should yield 200 response and be in sorted order"
    // (case-insensitive lexical order, or plain ordinal order as older registries sort). Stricter than the
    // suite: the list must also hold exactly the nine tags the setup pushed.
    [Fact]
    public async Task TagList_AllTags_Returns200InSortedOrder()
    {
        await SeedAsync();
        var response = (await api.TagsAsync(repository, cancellation)).ExpectStatus(200);
        var tags = TagNames(response);
        var lexical = tags.Order(StringComparer.OrdinalIgnoreCase).ToList();
        var ordinal = tags.Order(StringComparer.Ordinal).ToList();
        Assert.True(tags.SequenceEqual(lexical) || tags.SequenceEqual(ordinal), $"tags are not sorted\n{response.Describe()}");
        Assert.True(tags.Count == (2 * TagPairs) + 1, $"expected the {(2 * TagPairs) + 1} pushed tags\n{response.Describe()}");
    }

    // end-8b: "GET number of tags should be limitable by `n` query parameter".
    [Fact]
    public async Task TagList_WithN_ReturnsNTags()
    {
        await SeedAsync();
        var half = await HalfTheTagCountAsync();
        var response = (await api.TagsAsync(repository, cancellation, $"?n={Text(half)}")).ExpectStatus(200);
        Assert.True(TagNames(response).Count == half, $"expected {half} tags\n{response.Describe()}");
    }

    // end-8b: "GET start of tag is set by `last` query parameter": the next page after `last` has at most n
    // tags and does not repeat `last`.
    [Fact]
    public async Task TagList_WithLast_StartsAfterLast()
    {
        await SeedAsync();
        var half = await HalfTheTagCountAsync();
        var first = (await api.TagsAsync(repository, cancellation, $"?n={Text(half)}")).ExpectStatus(200);
        var firstTags = TagNames(first);
        Assert.True(firstTags.Count >= half, first.Describe());
        var last = firstTags[half - 1];
        var next = (await api.TagsAsync(repository, cancellation, $"?n={Text(half)}&last={Uri.EscapeDataString(last)}")).ExpectStatus(200);
        var nextTags = TagNames(next);
        Assert.True(nextTags.Count <= half, $"expected at most {half} tags\n{next.Describe()}");
        Assert.True(!nextTags.Contains(last), $"'{last}' repeated after last={last}\n{next.Describe()}");
    }

    // end-12a: "GET request to nonexistent blob should result in empty 200 response": referrers of an unknown
    // digest are an empty image index.
    [Fact]
    public async Task Referrers_UnknownSubject_ReturnsEmptyIndex()
    {
        await SeedAsync();
        var response = await api.ReferrersAsync(repository, ConformanceContent.DummyDigest, cancellation);
        var referrers = ExpectReferrersIndex(response);
        Assert.True(referrers.Count == 0, $"expected no referrers\n{response.Describe()}");
    }

    // end-12a: "GET request to existing blob should yield 200": all five referrers of manifest 4 (both A and B
    // artifacts in both styles, and the artifact index), distinct, each with its one annotation.
    [Fact]
    public async Task Referrers_ExistingSubject_ListsAllReferrersWithAnnotations()
    {
        await SeedAsync();
        var response = await api.ReferrersAsync(repository, content.Manifests[4].Digest, cancellation);
        var referrers = ExpectReferrersIndex(response);
        Assert.True(referrers.Count == 5, $"expected 5 referrers\n{response.Describe()}");
        Assert.True(referrers[0].Digest != referrers[1].Digest, response.Describe());
        ExpectPushedAnnotations(referrers, response);
    }

    // end-12b: "GET request to existing blob with filter should yield 200": with artifactType=A and
    // OCI-Filters-Applied: artifactType, only the two A artifacts; a registry that does not filter (no header)
    // must return all five, as the suite allows.
    [Fact]
    public async Task Referrers_ArtifactTypeFilter_ReturnsMatchingReferrers()
    {
        await SeedAsync();
        var response = await api.ReferrersAsync(
            repository,
            content.Manifests[4].Digest,
            cancellation,
            $"?artifactType={Uri.EscapeDataString(ConformanceContent.ArtifactTypeA)}");
        var referrers = ExpectReferrersIndex(response);
        if (response.Header("OCI-Filters-Applied") is { Length: > 0 } applied)
        {
            Assert.True(applied == "artifactType", $"OCI-Filters-Applied should be artifactType\n{response.Describe()}");
            Assert.True(referrers.Count == 2, $"expected the 2 referrers of type A\n{response.Describe()}");
        }
        else
        {
            Assert.True(referrers.Count == 5, $"unfiltered answer should list all 5 referrers\n{response.Describe()}");
        }

        ExpectPushedAnnotations(referrers, response);
    }

    // end-12a: "GET request to missing manifest should yield 200": a subject that was never pushed still
    // lists the artifact that refers to it.
    [Fact]
    public async Task Referrers_SubjectNeverPushed_ListsItsReferrer()
    {
        await SeedAsync();
        var response = await api.ReferrersAsync(repository, content.Manifests[3].Digest, cancellation);
        var referrers = ExpectReferrersIndex(response);
        Assert.True(referrers.Count == 1, $"expected 1 referrer\n{response.Describe()}");
        Assert.True(referrers[0].Digest == content.RefsManifestCLayer.Digest, response.Describe());
    }

    // end-9: teardown "Delete created manifest & associated tags": each manifest by digest (2xx, 404 or 405).
    [Fact]
    public async Task Discovery_Teardown_DeleteManifests_Returns2xxOr404Or405()
    {
        await SeedAsync();
        await DeleteManifestsAsync();
    }

    // end-10: teardown "Delete config blob created in tests".
    [Fact]
    public async Task Discovery_Teardown_DeleteConfigBlob_Returns2xxOr404Or405()
    {
        await SeedAsync();
        await DeleteManifestsAsync();
        (await api.DeleteBlobAsync(repository, content.Configs[2].Digest, cancellation)).ExpectSuccessOr(404, 405);
    }

    // end-10: teardown "Delete layer blob created in setup".
    [Fact]
    public async Task Discovery_Teardown_DeleteLayerBlob_Returns2xxOr404Or405()
    {
        await SeedAsync();
        await DeleteManifestsAsync();
        (await api.DeleteBlobAsync(repository, content.Layer.Digest, cancellation)).ExpectSuccessOr(404, 405);
    }

    // end-9, end-10: teardown "References teardown": the referrer manifests again (already gone: 404 is fine),
    // then config 4, both artifact blobs and the empty JSON blob.
    [Fact]
    public async Task Discovery_Teardown_References_Returns2xxOr404Or405()
    {
        await SeedAsync();
        await DeleteManifestsAsync();
        string[] manifests =
        [
            content.RefsIndex.Digest,
            content.RefsManifestAConfig.Digest,
            content.RefsManifestALayer.Digest,
            content.Manifests[4].Digest,
            content.RefsManifestBConfig.Digest,
            content.RefsManifestBLayer.Digest,
        ];
        foreach (var digest in manifests)
        {
            (await api.DeleteManifestAsync(repository, digest, cancellation)).ExpectSuccessOr(404, 405);
        }

        foreach (var blob in new[] { content.Configs[4], content.RefBlobA, content.RefBlobB, content.EmptyJson })
        {
            (await api.DeleteBlobAsync(repository, blob.Digest, cancellation)).ExpectSuccessOr(404, 405);
        }
    }

    private static IEnumerable<string> SetupTags()
    {
        for (var i = 0; i < TagPairs; i++)
        {
            yield return $"test{Text(i)}";
            yield return $"TEST{Text(i)}";
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static List<string> TagNames(RegistryResponse response)
    {
        using var document = response.Json();
        return document.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? [.. tags.EnumerateArray().Select(t => t.GetString() ?? "")]
            : [];
    }

    /// <summary>The suite pages with n = half of however many tags the repository lists.</summary>
    private async Task<int> HalfTheTagCountAsync()
    {
        var all = (await api.TagsAsync(repository, cancellation)).ExpectStatus(200);
        return TagNames(all).Count / 2;
    }

    private static List<ReferrerEntry> ExpectReferrersIndex(RegistryResponse response)
    {
        response.ExpectStatus(200);
        Assert.True(response.Header("Content-Type") == RegistryApi.OciIndex, $"Content-Type should be {RegistryApi.OciIndex}\n{response.Describe()}");
        using var document = response.Json();
        return [.. document.RootElement.GetProperty("manifests").EnumerateArray().Select(ReferrerEntry.From)];
    }

    private void ExpectPushedAnnotations(IEnumerable<ReferrerEntry> referrers, RegistryResponse response)
    {
        foreach (var referrer in referrers)
        {
            Assert.True(referrer.Annotations.Count == 1, $"{referrer.Digest} should carry exactly one annotation\n{response.Describe()}");
            content.AnnotationByDigest.TryGetValue(referrer.Digest, out var expected);
            referrer.Annotations.TryGetValue(ConformanceContent.AnnotationKey, out var actual);
            Assert.True(actual == expected, $"{referrer.Digest}: annotation '{actual}', pushed '{expected}'\n{response.Describe()}");
        }
    }

    /// <summary>The whole discovery setup of the suite; every push must succeed.</summary>
    private async Task SeedAsync()
    {
        await api.SeedBlobAsync(repository, content.Configs[2], cancellation);
        await api.SeedBlobAsync(repository, content.Layer, cancellation);
        foreach (var tag in SetupTags())
        {
            await api.SeedManifestAsync(repository, tag, content.Manifests[2], cancellation);
        }

        await SeedReferencesAsync();
    }

    /// <summary>
    /// The suite's references setup, in its order: some referrers are pushed before their subject (manifest 4),
    /// some after, and one refers to manifest 3, which is never pushed. Returns each subject-carrying push with
    /// the subject digest it should be acknowledged with.
    /// </summary>
    private async Task<List<(RegistryResponse Response, string Subject)>> SeedReferencesAsync()
    {
        var subjectPushes = new List<(RegistryResponse, string)>();
        var subject = content.Manifests[4].Digest;

        async Task PushReferrerAsync(TestBlob manifest, string subjectDigest, string mediaType = RegistryApi.OciManifest) =>
            subjectPushes.Add((await api.SeedManifestAsync(repository, manifest.Digest, manifest, cancellation, mediaType), subjectDigest));

        await api.SeedBlobAsync(repository, content.EmptyJson, cancellation);
        await api.SeedBlobAsync(repository, content.RefBlobA, cancellation);
        await PushReferrerAsync(content.RefsManifestAConfig, subject);
        await PushReferrerAsync(content.RefsManifestALayer, subject);
        await PushReferrerAsync(content.RefsIndex, subject, RegistryApi.OciIndex);
        await api.SeedBlobAsync(repository, content.Configs[4], cancellation);
        await api.SeedBlobAsync(repository, content.Layer, cancellation);
        await api.SeedManifestAsync(repository, ConformanceContent.TagTest0, content.Manifests[4], cancellation);
        await api.SeedBlobAsync(repository, content.RefBlobB, cancellation);
        await PushReferrerAsync(content.RefsManifestBConfig, subject);
        await PushReferrerAsync(content.RefsManifestBLayer, subject);
        await PushReferrerAsync(content.RefsManifestCLayer, content.Manifests[3].Digest);
        return subjectPushes;
    }

    private async Task DeleteManifestsAsync()
    {
        string[] digests =
        [
            content.RefsIndex.Digest,
            content.Manifests[2].Digest,
            content.Manifests[4].Digest,
            content.RefsManifestAConfig.Digest,
            content.RefsManifestALayer.Digest,
            content.RefsManifestBConfig.Digest,
            content.RefsManifestBLayer.Digest,
            content.RefsManifestCLayer.Digest,
        ];
        foreach (var digest in digests)
        {
            (await api.DeleteManifestAsync(repository, digest, cancellation)).ExpectSuccessOr(404, 405);
        }
    }
}
