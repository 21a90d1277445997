using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Conformance;

/// <summary>
/// Tag-list pagination rules of the distribution-spec (§ "Listing Tags") that the conformance suite does
/// not check: the <c>Link</c> header and <c>n=0</c>. Not counted among the suite's checks.
/// </summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed partial class TagPaginationTests(LiveRegistryFixture registry)
{
    private readonly RegistryApi api = new(registry.Http);
    private readonly ConformanceContent content = new();
    private readonly string repository = TestDeadline.UniqueRepository("conformance/pagination");
    private readonly CancellationToken cancellation = TestDeadline.Start();

    // end-8b: following Link rel="next" (RFC 5988) from n=2 pages visits every tag once, in order. The spec
    // makes Link a MAY; Bulwark sends it whenever more tags remain, so a page without it ends the walk early.
    [Fact]
    public async Task TagList_FollowingLinkHeaders_VisitsEveryTagOnceInOrder()
    {
        var pushed = await SeedTagsAsync(5);
        var visited = new List<string>();
        var next = api.Url($"v2/{repository}/tags/list?n=2");
        for (var page = 0; next is not null && page < 10; page++)
        {
            var response = (await api.SendAsync(HttpMethod.Get, next, cancellation)).ExpectStatus(200);
            var tags = TagNames(response);
            Assert.True(tags.Count <= 2, $"page larger than n=2\n{response.Describe()}");
            visited.AddRange(tags);
            next = NextPage(response);
        }

        Assert.Equal(pushed, visited);
    }

    // end-8b: "When n is zero, this endpoint MUST return an empty list, and MUST NOT include a Link header."
    [Fact]
    public async Task TagList_NZero_ReturnsEmptyListWithoutLink()
    {
        await SeedTagsAsync(2);
        var response = (await api.TagsAsync(repository, cancellation, "?n=0")).ExpectStatus(200);
        Assert.True(TagNames(response).Count == 0, $"n=0 must list no tags\n{response.Describe()}");
        Assert.True(response.Header("Link") is null, $"n=0 must not send Link\n{response.Describe()}");
    }

    [GeneratedRegex("""^\s*<(?<target>[^>]+)>\s*;\s*rel="?next"?\s*$""")]
    private static partial Regex NextLink();

    private static Uri? NextPage(RegistryResponse response)
    {
        if (response.Header("Link") is not { } link)
        {
            return null;
        }

        var match = NextLink().Match(link);
        Assert.True(match.Success, $"Link must be <url>; rel=\"next\"\n{response.Describe()}");
        return new Uri(response.RequestUri, match.Groups["target"].Value);
    }

    private static List<string> TagNames(RegistryResponse response)
    {
        using var document = response.Json();
        return document.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? [.. tags.EnumerateArray().Select(t => t.GetString() ?? "")]
            : [];
    }

    /// <summary>Pushes one image under <paramref name="count"/> tags; returns them in the order the spec lists them.</summary>
    private async Task<List<string>> SeedTagsAsync(int count)
    {
        await api.SeedBlobAsync(repository, content.Configs[0], cancellation);
        await api.SeedBlobAsync(repository, content.Layer, cancellation);
        var tags = Enumerable.Range(0, count).Select(i => $"v{i}").ToList();
        foreach (var tag in tags)
        {
            await api.SeedManifestAsync(repository, tag, content.Manifests[0], cancellation);
        }

        return tags;
    }
}
