using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Oci;

namespace Bulwark.Server.Tests;

public sealed class RegistryApiTests : IAsyncLifetime
{
    private LiveServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await LiveServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ApiVersion_AnswersWithTheDistributionHeader()
    {
        using var response = await Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Fact]
    public async Task Blob_HeadGetAndRange_ServeExactBytesAndHeaders()
    {
        var content = RandomNumberGenerator.GetBytes(10_000);
        var digest = Digest.Compute(content);
        using var push = await _server.PushBlobAsync("app", content);
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal($"/v2/app/blobs/{digest}", push.Headers.Location!.OriginalString);

        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(10_000, head.Content.Headers.ContentLength);
        Assert.Equal(digest.ToString(), head.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        Assert.Equal(content, await Client.GetByteArrayAsync($"/v2/app/blobs/{digest}"));

        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v2/app/blobs/{digest}");
        ranged.Headers.Range = new RangeHeaderValue(100, 199);
        using var partial = await Client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(content[100..200], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes 100-199/10000", partial.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Blob_KnownDigest_IsNotReadableThroughAnotherRepository()
    {
        var content = "private layer"u8.ToArray();
        (await _server.PushBlobAsync("team-a/app", content)).EnsureSuccessStatusCode();
        using var response = await Client.GetAsync($"/v2/team-b/app/blobs/{Digest.Compute(content)}");
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Upload_Chunked_ReportsProgressAndRefusesOutOfOrderChunks()
    {
        var content = RandomNumberGenerator.GetBytes(3000);
        using var start = await Client.PostAsync("/v2/app/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!.OriginalString;
        Assert.StartsWith("/v2/app/blobs/uploads/", location, StringComparison.Ordinal);
        Assert.Equal("0-0", start.Headers.GetValues("Range").Single());

        using var first = await PatchAsync(location, content[..1000], "0-999");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("0-999", first.Headers.GetValues("Range").Single());

        using var outOfOrder = await PatchAsync(location, content[2000..], "2000-2999");
        await ErrorAssert.HasErrorAsync(outOfOrder, HttpStatusCode.RequestedRangeNotSatisfiable, "BLOB_UPLOAD_INVALID");
        Assert.Equal("0-999", outOfOrder.Headers.GetValues("Range").Single());

        using var status = await Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-999", status.Headers.GetValues("Range").Single());
        Assert.Equal(location, status.Headers.Location!.OriginalString);

        using var second = await PatchAsync(location, content[1000..2000], "1000-1999");
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        using var last = new ByteArrayContent(content[2000..]);
        last.Headers.ContentRange = null;
        last.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var complete = await Client.PutAsync($"{location}?digest={Digest.Compute(content)}", last);
        Assert.Equal(HttpStatusCode.Created, complete.StatusCode);
        Assert.Equal(Digest.Compute(content).ToString(), complete.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(content, await Client.GetByteArrayAsync(complete.Headers.Location!.OriginalString));
    }

    [Fact]
    public async Task Upload_CompleteWithoutDigest_IsDigestInvalid()
    {
        using var start = await Client.PostAsync("/v2/app/blobs/uploads/", null);
        using var complete = await Client.PutAsync(start.Headers.Location!.OriginalString, new ByteArrayContent([]));
        await ErrorAssert.HasErrorAsync(complete, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Upload_WrongDigest_IsDigestInvalidAndStoresNothing()
    {
        using var start = await Client.PostAsync("/v2/app/blobs/uploads/", null);
        var wrong = Digest.Compute("something else"u8);
        using var complete = await Client.PutAsync($"{start.Headers.Location!.OriginalString}?digest={wrong}",
            new ByteArrayContent("content"u8.ToArray()));
        await ErrorAssert.HasErrorAsync(complete, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/blobs/{Digest.Compute("content"u8)}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Upload_MalformedDigest_IsDigestInvalid()
    {
        using var response = await Client.PostAsync("/v2/app/blobs/uploads/?digest=sha256:nothex", new ByteArrayContent([1]));
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Upload_CancelThenStatus_IsUnknown()
    {
        using var start = await Client.PostAsync("/v2/app/blobs/uploads/", null);
        var location = start.Headers.Location!.OriginalString;
        using var cancel = await Client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        using var status = await Client.GetAsync(location);
        await ErrorAssert.HasErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        using var bogus = await Client.GetAsync("/v2/app/blobs/uploads/../../etc");
        Assert.Equal(HttpStatusCode.NotFound, bogus.StatusCode);
    }

    [Fact]
    public async Task Mount_FromHoldingRepository_Creates_OtherwiseFallsBackToUpload()
    {
        var content = "base layer"u8.ToArray();
        var digest = Digest.Compute(content);
        (await _server.PushBlobAsync("base", content)).EnsureSuccessStatusCode();

        using var mounted = await Client.PostAsync($"/v2/derived/blobs/uploads/?mount={digest}&from=base", null);
        Assert.Equal(HttpStatusCode.Created, mounted.StatusCode);
        Assert.Equal($"/v2/derived/blobs/{digest}", mounted.Headers.Location!.OriginalString);
        Assert.Equal(content, await Client.GetByteArrayAsync($"/v2/derived/blobs/{digest}"));

        using var fallback = await Client.PostAsync($"/v2/derived/blobs/uploads/?mount={Digest.Compute("absent"u8)}&from=base", null);
        Assert.Equal(HttpStatusCode.Accepted, fallback.StatusCode);
        Assert.StartsWith("/v2/derived/blobs/uploads/", fallback.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_PutGetHeadDelete_FollowTheSpec()
    {
        var (manifest, digest) = await _server.PushImageAsync("app", "v1");

        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/app/manifests/v1"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(MediaTypes.OciManifest, head.Content.Headers.ContentType!.MediaType);
        Assert.Equal(manifest.Length, head.Content.Headers.ContentLength);
        Assert.Equal(digest.ToString(), head.Headers.GetValues("Docker-Content-Digest").Single());

        Assert.Equal(manifest, await Client.GetByteArrayAsync($"/v2/app/manifests/{digest}"));

        using var deleteTag = await Client.DeleteAsync("/v2/app/manifests/v1");
        Assert.Equal(HttpStatusCode.Accepted, deleteTag.StatusCode);
        using var byTag = await Client.GetAsync("/v2/app/manifests/v1");
        await ErrorAssert.HasErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using var deleteDigest = await Client.DeleteAsync($"/v2/app/manifests/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, deleteDigest.StatusCode);
        using var byDigest = await Client.GetAsync($"/v2/app/manifests/{digest}");
        await ErrorAssert.HasErrorAsync(byDigest, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Manifest_DockerSchema2_KeepsItsMediaType()
    {
        var config = "{}"u8.ToArray();
        (await _server.PushBlobAsync("docker", config)).EnsureSuccessStatusCode();
        var manifest = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifest}}}",
             "config":{"mediaType":"{{{MediaTypes.DockerConfig}}}","digest":"{{{Digest.Compute(config)}}}","size":2},"layers":[]}
            """);
        (await _server.PutManifestAsync("docker", "v1", manifest, MediaTypes.DockerManifest)).EnsureSuccessStatusCode();
        var list = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifestList}}}","manifests":[
              {"mediaType":"{{{MediaTypes.DockerManifest}}}","digest":"{{{Digest.Compute(manifest)}}}","size":{{{manifest.Length}}},
               "platform":{"architecture":"amd64","os":"linux"}}]}
            """);
        (await _server.PutManifestAsync("docker", "multi", list, MediaTypes.DockerManifestList)).EnsureSuccessStatusCode();

        using var response = await Client.GetAsync("/v2/docker/manifests/multi");
        Assert.Equal(MediaTypes.DockerManifestList, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(list, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Manifest_BadInput_GetsTheSpecErrors()
    {
        using var malformed = await _server.PutManifestAsync("app", "v1", "{not json"u8.ToArray(), MediaTypes.OciManifest);
        await ErrorAssert.HasErrorAsync(malformed, HttpStatusCode.BadRequest, "MANIFEST_INVALID");

        var missingBlobs = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}",
             "config":{"mediaType":"{{{MediaTypes.OciConfig}}}","digest":"{{{Digest.Compute("c"u8)}}}","size":1},"layers":[]}
            """);
        using var unknown = await _server.PutManifestAsync("app", "v1", missingBlobs, MediaTypes.OciManifest);
        await ErrorAssert.HasErrorAsync(unknown, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");

        using var tooLarge = await _server.PutManifestAsync("app", "v1", new byte[4 * 1024 * 1024 + 1], MediaTypes.OciManifest);
        await ErrorAssert.HasErrorAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "MANIFEST_INVALID");

        using var wrongDigest = await _server.PutManifestAsync("app", Digest.Compute("x"u8).ToString(), missingBlobs, MediaTypes.OciManifest);
        await ErrorAssert.HasErrorAsync(wrongDigest, HttpStatusCode.BadRequest, "DIGEST_INVALID");

        using var tags = await Client.GetAsync("/v2/app/tags/list");
        await ErrorAssert.HasErrorAsync(tags, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Theory]
    [InlineData("/v2/UPPER/manifests/latest")]
    [InlineData("/v2/a..b/manifests/latest")]
    [InlineData("/v2/a__-b/tags/list")]
    public async Task InvalidRepositoryName_IsNameInvalid(string path)
    {
        using var response = await Client.GetAsync(path);
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Fact]
    public async Task OverLongRepositoryName_IsNameInvalid()
    {
        using var response = await Client.GetAsync($"/v2/{new string('a', 256)}/tags/list");
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Fact]
    public async Task UnsupportedMethod_Is405()
    {
        using var response = await Client.PostAsync("/v2/app/tags/list", null);
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }

    [Fact]
    public async Task Tags_PaginateWithLinkHeader()
    {
        foreach (var tag in new[] { "c", "a", "b" })
        {
            await _server.PushImageAsync("app", tag);
        }

        using var first = await Client.GetAsync("/v2/app/tags/list?n=2");
        Assert.Equal(["a", "b"], await ReadArrayAsync(first, "tags"));
        Assert.Equal("</v2/app/tags/list?n=2&last=b>; rel=\"next\"", first.Headers.GetValues("Link").Single());

        using var second = await Client.GetAsync("/v2/app/tags/list?n=2&last=b");
        Assert.Equal(["c"], await ReadArrayAsync(second, "tags"));
        Assert.False(second.Headers.Contains("Link"));

        using var bad = await Client.GetAsync("/v2/app/tags/list?n=abc");
        await ErrorAssert.HasErrorAsync(bad, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task Catalog_ListsRepositoriesInOrderWithPagination()
    {
        foreach (var name in new[] { "z/app", "a/app", "m" })
        {
            (await _server.PushBlobAsync(name, "x"u8.ToArray())).EnsureSuccessStatusCode();
        }

        using var first = await Client.GetAsync("/v2/_catalog?n=2");
        Assert.Equal(["a/app", "m"], await ReadArrayAsync(first, "repositories"));
        Assert.Contains("last=m", first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        using var rest = await Client.GetAsync("/v2/_catalog?last=m");
        Assert.Equal(["z/app"], await ReadArrayAsync(rest, "repositories"));
    }

    [Fact]
    public async Task Referrers_SubjectHeaderListingAndFilter()
    {
        var missingSubject = Digest.Compute("not pushed yet"u8).ToString();
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        (await _server.PushBlobAsync("app", config)).EnsureSuccessStatusCode();

        var (_, sbom) = await _server.PushImageAsync("app", "sbom",
            missingSubject, "application/vnd.example.sbom");
        await _server.PushImageAsync("app", "sig", missingSubject, "application/vnd.example.sig");

        using var all = await Client.GetAsync($"/v2/app/referrers/{missingSubject}");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(MediaTypes.OciIndex, all.Content.Headers.ContentType!.MediaType);
        using var allBody = JsonDocument.Parse(await all.Content.ReadAsStringAsync());
        Assert.Equal(2, allBody.RootElement.GetProperty("manifests").GetArrayLength());
        Assert.False(all.Headers.Contains("OCI-Filters-Applied"));

        using var filtered = await Client.GetAsync($"/v2/app/referrers/{missingSubject}?artifactType=application/vnd.example.sbom");
        Assert.Equal("artifactType", filtered.Headers.GetValues("OCI-Filters-Applied").Single());
        using var filteredBody = JsonDocument.Parse(await filtered.Content.ReadAsStringAsync());
        var only = filteredBody.RootElement.GetProperty("manifests").EnumerateArray().Single();
        Assert.Equal(sbom.ToString(), only.GetProperty("digest").GetString());
        Assert.Equal("application/vnd.example.sbom", only.GetProperty("artifactType").GetString());
        Assert.Equal("application/vnd.example.sbom", only.GetProperty("annotations").GetProperty("org.example.kind").GetString());

        using var none = await Client.GetAsync($"/v2/app/referrers/{Digest.Compute("other"u8)}");
        using var noneBody = JsonDocument.Parse(await none.Content.ReadAsStringAsync());
        Assert.Equal(0, noneBody.RootElement.GetProperty("manifests").GetArrayLength());
    }

    [Fact]
    public async Task Manifest_WithSubject_ReturnsOciSubjectHeader()
    {
        var (_, subject) = await _server.PushImageAsync("app", "v1");
        var config = "{}"u8.ToArray();
        (await _server.PushBlobAsync("app", config)).EnsureSuccessStatusCode();
        var artifact = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","artifactType":"application/vnd.example",
             "config":{"mediaType":"{{{MediaTypes.OciEmpty}}}","digest":"{{{Digest.Compute(config)}}}","size":2},"layers":[],
             "subject":{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{subject}}}","size":10}}
            """);
        using var response = await _server.PutManifestAsync("app", Digest.Compute(artifact).ToString(), artifact, MediaTypes.OciManifest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(subject.ToString(), response.Headers.GetValues("OCI-Subject").Single());
    }

    [Fact]
    public async Task Blob_Delete_UnlinksFromRepository()
    {
        var content = "to delete"u8.ToArray();
        (await _server.PushBlobAsync("app", content)).EnsureSuccessStatusCode();
        using var delete = await Client.DeleteAsync($"/v2/app/blobs/{Digest.Compute(content)}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        using var get = await Client.GetAsync($"/v2/app/blobs/{Digest.Compute(content)}");
        await ErrorAssert.HasErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        using var again = await Client.DeleteAsync($"/v2/app/blobs/{Digest.Compute(content)}");
        await ErrorAssert.HasErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Blob_ShortBody_IsRefusedAndNothingStored()
    {
        var content = RandomNumberGenerator.GetBytes(100);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/app/blobs/uploads/?digest={Digest.Compute(content)}")
        {
            Content = new ByteArrayContent(content[..50]),
        };
        request.Content.Headers.ContentLength = 50;
        using var response = await Client.SendAsync(request);
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/blobs/{Digest.Compute(content)}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task ConcurrentPushes_ToOneTag_EndWithOneOfThem()
    {
        var pushes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _server.PushImageAsync("race", "latest")));
        using var tags = await Client.GetAsync("/v2/race/tags/list");
        Assert.Equal(["latest"], await ReadArrayAsync(tags, "tags"));
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/race/manifests/latest"));
        var current = head.Headers.GetValues("Docker-Content-Digest").Single();
        Assert.Contains(current, pushes.Select(p => p.Digest.ToString()));
    }

    private Task<HttpResponseMessage> PatchAsync(string location, byte[] chunk, string range)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(chunk) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.TryAddWithoutValidation("Content-Range", range);
        return Client.SendAsync(request);
    }

    private static async Task<string[]> ReadArrayAsync(HttpResponseMessage response, string property)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();
    }
}
