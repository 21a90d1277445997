using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Conformance;

/// <summary>
/// OCI distribution-spec conformance, workflow "Push" (suite file 02_push_test.go): streamed, monolithic
/// and chunked blob uploads, cross-repository mounts, manifest uploads and the teardown deletes.
/// The suite runs these as one ordered story; here each test replays the steps its check depends on.
/// </summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed class PushTests(LiveRegistryFixture registry)
{
    private readonly RegistryApi api = new(registry.Http);
    private readonly ConformanceContent content = new();
    private readonly string repository = TestDeadline.UniqueRepository("conformance/push");
    private readonly string crossMountRepository = TestDeadline.UniqueRepository("conformance/crossmount");
    private readonly CancellationToken cancellation = TestDeadline.Start();

    // end-4a, end-5: "PATCH request with blob in body should yield 202 response" (streamed upload).
    [Fact]
    public async Task PushStreamed_PatchWholeBlob_Returns202()
    {
        var session = await api.StartUploadAsync(repository, cancellation);
        var location = session.ExpectLocation();
        (await api.SendAsync(HttpMethod.Patch, location, cancellation, content.BlobA.Content, RegistryApi.OctetStream)).ExpectStatus(202);
    }

    // end-6: "PUT request to session URL with digest should yield 201 response" (closes the streamed upload).
    [Fact]
    public async Task PushStreamed_PutWithDigest_Returns201WithLocation()
    {
        var patch = await PatchStreamedAsync();
        var close = await api.SendAsync(HttpMethod.Put, RegistryApi.WithQuery(patch.ExpectLocation(), "digest", content.BlobA.Digest), cancellation, [], RegistryApi.OctetStream);
        close.ExpectStatus(201).ExpectLocation();
    }

    // end-2: monolithic "GET nonexistent blob should result in 404 response".
    [Fact]
    public async Task PushMonolithic_GetNonexistentBlob_Returns404() =>
        (await api.BlobAsync(HttpMethod.Get, repository, ConformanceContent.DummyDigest, cancellation)).ExpectStatus(404);

    // end-4b: "POST request with digest and blob should yield a 201 or 202" (single-request upload), with a Location.
    [Fact]
    public async Task PushMonolithic_PostWithDigestAndBlob_Returns201Or202WithLocation()
    {
        var response = await PostWithDigestAsync(content.Configs[1]);
        response.ExpectLocation();
        response.ExpectStatus(201, 202);
    }

    // end-4b, end-2: "GET request to blob URL from prior request should yield 200 or 404 based on response code":
    // a 201 means the blob is stored (GET 200); a 202 means only a session was opened (GET 404).
    [Fact]
    public async Task PushMonolithic_GetBlobAfterPostWithDigest_MatchesPostOutcome()
    {
        var post = await PostWithDigestAsync(content.Configs[1]);
        var get = await api.BlobAsync(HttpMethod.Get, repository, content.Configs[1].Digest, cancellation);
        get.ExpectStatus(post.Status == 202 ? 404 : 200);
    }

    // end-4a: "POST request should yield a session ID".
    [Fact]
    public async Task PushMonolithic_PostUpload_Returns202() =>
        (await api.StartUploadAsync(repository, cancellation)).ExpectStatus(202);

    // end-6: "PUT upload of a blob should yield a 201 Response", with a Location.
    [Fact]
    public async Task PushMonolithic_PutBlob_Returns201WithLocation()
    {
        var response = await api.PushBlobAsync(repository, content.Configs[1], cancellation);
        response.ExpectLocation();
        response.ExpectStatus(201);
    }

    // end-2: "GET request to existing blob should yield 200 response" (after the monolithic PUT).
    [Fact]
    public async Task PushMonolithic_GetPushedBlob_Returns200()
    {
        await api.SeedBlobAsync(repository, content.Configs[1], cancellation);
        (await api.BlobAsync(HttpMethod.Get, repository, content.Configs[1].Digest, cancellation)).ExpectStatus(200);
    }

    // end-4a, end-6: "PUT upload of a layer blob should yield a 201 Response", with a Location.
    [Fact]
    public async Task PushMonolithic_PutLayer_Returns201WithLocation()
    {
        var response = await api.PushBlobAsync(repository, content.Layer, cancellation);
        response.ExpectLocation();
        response.ExpectStatus(201);
    }

    // end-2: "GET request to existing layer should yield 200 response".
    [Fact]
    public async Task PushMonolithic_GetPushedLayer_Returns200()
    {
        await api.SeedBlobAsync(repository, content.Layer, cancellation);
        (await api.BlobAsync(HttpMethod.Get, repository, content.Layer.Digest, cancellation)).ExpectStatus(200);
    }

    // end-5: "Out-of-order blob upload should return 416": the second chunk sent first is refused.
    [Fact]
    public async Task Push_ChunkedOutOfOrder_Returns416()
    {
        var (session, blob) = await StartChunkedAsync();
        var response = await api.SendAsync(HttpMethod.Patch, session.ExpectLocation(), cancellation, blob.SecondChunk, RegistryApi.OctetStream, blob.SecondRange);
        response.ExpectStatus(416);
    }

    // end-5: "PATCH request with first chunk should return 202", with Range covering the chunk.
    [Fact]
    public async Task Push_ChunkedFirstChunk_Returns202WithRange()
    {
        var (session, blob) = await StartChunkedAsync();
        var response = await api.SendAsync(HttpMethod.Patch, session.ExpectLocation(), cancellation, blob.FirstChunk, RegistryApi.OctetStream, blob.FirstRange);
        response.ExpectStatus(202);
        Assert.True(response.Header("Range") == blob.FirstRange, $"Range should be {blob.FirstRange}\n{response.Describe()}");
    }

    // end-5: "Retry previous blob chunk should return 416": resending chunk 1 to the session's first
    // location, after the registry accepted it, is out of order.
    [Fact]
    public async Task Push_ChunkedRetryPreviousChunk_Returns416()
    {
        var (session, blob, _) = await SendFirstChunkAsync();
        var retry = await api.SendAsync(HttpMethod.Patch, session.ExpectLocation(), cancellation, blob.FirstChunk, RegistryApi.OctetStream, blob.FirstRange);
        retry.ExpectStatus(416);
    }

    // end-13: "Get on stale blob upload should return 204 with a range and location".
    [Fact]
    public async Task Push_ChunkedUploadStatus_Returns204WithRangeAndLocation()
    {
        var (session, blob) = await SendFirstChunkAndRetryAsync();
        var status = await api.SendAsync(HttpMethod.Get, session.ExpectLocation(), cancellation);
        status.ExpectStatus(204).ExpectLocation();
        Assert.True(status.Header("Range") == blob.FirstRange, $"Range should be {blob.FirstRange}\n{status.Describe()}");
    }

    // end-5: "PATCH request with second chunk should return 202", Range now covering the whole blob.
    [Fact]
    public async Task Push_ChunkedSecondChunk_Returns202WithFullRange()
    {
        var (_, blob, statusLocation) = await SendFirstChunkThenStatusAsync();
        var response = await api.SendAsync(HttpMethod.Patch, statusLocation, cancellation, blob.SecondChunk, RegistryApi.OctetStream, blob.SecondRange);
        response.ExpectStatus(202).ExpectLocation();
        Assert.True(response.Header("Range") == blob.WholeRange, $"Range should be {blob.WholeRange}\n{response.Describe()}");
    }

    // end-6: "PUT request with digest should return 201" (closes the chunked upload with no body).
    [Fact]
    public async Task Push_ChunkedClosingPutWithDigest_Returns201WithLocation()
    {
        var (_, blob, statusLocation) = await SendFirstChunkThenStatusAsync();
        var second = await api.SendAsync(HttpMethod.Patch, statusLocation, cancellation, blob.SecondChunk, RegistryApi.OctetStream, blob.SecondRange);
        second.ExpectStatus(202);
        var close = await api.SendAsync(HttpMethod.Put, RegistryApi.WithQuery(second.ExpectLocation(), "digest", blob.Blob.Digest), cancellation, [], RegistryApi.OctetStream);
        close.ExpectStatus(201).ExpectLocation();
    }

    // end-11: "Cross-mounting of a blob without the from argument should yield session id".
    [Fact]
    public async Task PushCrossMount_MountWithoutFrom_Returns202WithLocation()
    {
        var response = await api.SendAsync(HttpMethod.Post, api.Url($"v2/{crossMountRepository}/blobs/uploads/?mount={ConformanceContent.DummyDigest}"), cancellation, []);
        response.ExpectStatus(202).ExpectLocation();
    }

    // end-11: "POST request to mount another repository's blob should return 201 or 202".
    [Fact]
    public async Task PushCrossMount_MountFromOtherRepository_Returns201Or202()
    {
        await PushStreamedBlobAAsync();
        (await MountBlobAAsync()).ExpectStatus(201, 202);
    }

    // end-11, end-2: "GET request to test digest within cross-mount namespace should return 200": the mount's
    // Location is the blob in the target repository, and the blob is readable there. The suite skips this when
    // the registry answered 202; Bulwark always mounts a blob linked to `from`, so here a 202 fails.
    [Fact]
    public async Task PushCrossMount_MountedBlob_IsReadableInTargetRepository()
    {
        await PushStreamedBlobAAsync();
        var mount = (await MountBlobAAsync()).ExpectStatus(201);
        Assert.True(
            mount.RelativeLocation == $"/v2/{crossMountRepository}/blobs/{content.BlobA.Digest}",
            $"Location should name the mounted blob\n{mount.Describe()}");
        (await api.SendAsync(HttpMethod.Get, mount.Location!, cancellation)).ExpectStatus(200);
    }

    // end-11: "Cross-mounting of nonexistent blob should yield session id": when the blob is not in `from`,
    // the registry falls back to an ordinary upload session in the target repository (202 + upload Location).
    [Fact]
    public async Task PushCrossMount_SourceMissing_FallsBackToUploadSession()
    {
        await PushStreamedBlobAAsync();
        var response = await api.SendAsync(HttpMethod.Post, api.Url($"v2/{crossMountRepository}/blobs/uploads/?mount={ConformanceContent.DummyDigest}&from={repository}"), cancellation, []);
        response.ExpectStatus(202);
        Assert.True(
            response.RelativeLocation?.StartsWith($"/v2/{crossMountRepository}/blobs/uploads/", StringComparison.Ordinal) == true,
            $"Location should be an upload session of the target repository\n{response.Describe()}");
    }

    // end-11: "Cross-mounting without from, and automatic content discovery disabled should return a 202".
    // The suite's "enabled" variant does not apply: a digest alone never grants access to another
    // repository's blob, so a mount without `from` must not mount. Unlike the suite, the target repository
    // here does not hold the blob yet, so a 201 could only come from such a discovery.
    [Fact]
    public async Task PushCrossMount_MountExistingBlobWithoutFrom_Returns202()
    {
        await PushStreamedBlobAAsync();
        var response = await api.SendAsync(HttpMethod.Post, api.Url($"v2/{crossMountRepository}/blobs/uploads/?mount={content.BlobA.Digest}"), cancellation, []);
        response.ExpectStatus(202);
    }

    // end-3: manifest upload "GET nonexistent manifest should return 404".
    [Fact]
    public async Task PushManifest_GetNonexistent_Returns404() =>
        (await api.ManifestAsync(HttpMethod.Get, repository, ConformanceContent.NonexistentManifest, cancellation)).ExpectStatus(404);

    // end-7: "PUT should accept a manifest upload": the same manifest under tags test0 … test3, each 201 with a Location.
    [Fact]
    public async Task PushManifest_PutUnderFourTags_Returns201WithLocation()
    {
        await SeedManifestBlobsAsync();
        for (var i = 0; i < 4; i++)
        {
            var response = await api.PutManifestAsync(repository, $"test{i}", content.Manifests[1], cancellation);
            response.ExpectLocation();
            response.ExpectStatus(201);
        }
    }

    // end-7: "Registry should accept a manifest upload with no layers". The suite only warns when refused;
    // an image with no layers is valid OCI, so here it must be accepted (201 with a Location).
    [Fact]
    public async Task PushManifest_PutWithNoLayers_Returns201WithLocation()
    {
        await api.SeedBlobAsync(repository, content.Configs[1], cancellation);
        var response = await api.PutManifestAsync(repository, ConformanceContent.EmptyLayerTag, content.EmptyLayerManifest, cancellation);
        response.ExpectStatus(201).ExpectLocation();
    }

    // end-3: "GET request to manifest URL (digest) should yield 200 response".
    [Fact]
    public async Task PushManifest_GetByDigest_Returns200()
    {
        await SeedPushedManifestsAsync();
        (await api.ManifestAsync(HttpMethod.Get, repository, content.Manifests[1].Digest, cancellation)).ExpectStatus(200);
    }

    // end-9: teardown "Delete manifest created in tests" (the tagged manifest and the one with no layers).
    [Fact]
    public async Task Push_Teardown_DeleteManifests_Returns2xxOr405()
    {
        await SeedPushedManifestsAsync();
        (await api.DeleteManifestAsync(repository, content.Manifests[1].Digest, cancellation)).ExpectSuccessOr(405);
        (await api.DeleteManifestAsync(repository, content.EmptyLayerManifest.Digest, cancellation)).ExpectSuccessOr(405);
    }

    // end-10: teardown "Delete config blob created in tests".
    [Fact]
    public async Task Push_Teardown_DeleteConfigBlob_Returns2xxOr404Or405()
    {
        await SeedPushedManifestsAsync();
        await DeletePushedManifestsAsync();
        (await api.DeleteBlobAsync(repository, content.Configs[1].Digest, cancellation)).ExpectSuccessOr(404, 405);
    }

    // end-10: teardown "Delete layer blob created in setup".
    [Fact]
    public async Task Push_Teardown_DeleteLayerBlob_Returns2xxOr404Or405()
    {
        await SeedPushedManifestsAsync();
        await DeletePushedManifestsAsync();
        (await api.DeleteBlobAsync(repository, content.Layer.Digest, cancellation)).ExpectSuccessOr(404, 405);
    }

    private Task<RegistryResponse> PostWithDigestAsync(TestBlob blob) =>
        api.SendAsync(HttpMethod.Post, api.Url($"v2/{repository}/blobs/uploads/?digest={blob.Digest}"), cancellation, blob.Content, RegistryApi.OctetStream);

    private async Task<RegistryResponse> PatchStreamedAsync()
    {
        var session = await api.StartUploadAsync(repository, cancellation);
        var patch = await api.SendAsync(HttpMethod.Patch, session.ExpectLocation(), cancellation, content.BlobA.Content, RegistryApi.OctetStream);
        return patch.ExpectStatus(202);
    }

    /// <summary>The streamed upload of blob A, which the cross-mount checks mount from.</summary>
    private async Task PushStreamedBlobAAsync()
    {
        var patch = await PatchStreamedAsync();
        (await api.SendAsync(HttpMethod.Put, RegistryApi.WithQuery(patch.ExpectLocation(), "digest", content.BlobA.Digest), cancellation, [], RegistryApi.OctetStream)).ExpectStatus(201);
    }

    private Task<RegistryResponse> MountBlobAAsync() =>
        api.SendAsync(HttpMethod.Post, api.Url($"v2/{crossMountRepository}/blobs/uploads/?mount={content.BlobA.Digest}&from={repository}"), cancellation, []);

    private async Task<(RegistryResponse Session, ChunkedBlob Blob)> StartChunkedAsync()
    {
        var session = await api.StartUploadAsync(repository, cancellation);
        session.ExpectLocation();
        return (session, content.BlobB.FitMinimumChunk(session));
    }

    private async Task<(RegistryResponse Session, ChunkedBlob Blob, RegistryResponse FirstPatch)> SendFirstChunkAsync()
    {
        var (session, blob) = await StartChunkedAsync();
        var patch = await api.SendAsync(HttpMethod.Patch, session.ExpectLocation(), cancellation, blob.FirstChunk, RegistryApi.OctetStream, blob.FirstRange);
        patch.ExpectStatus(202);
        return (session, blob, patch);
    }

    private async Task<(RegistryResponse Session, ChunkedBlob Blob)> SendFirstChunkAndRetryAsync()
    {
        var (session, blob, _) = await SendFirstChunkAsync();

        // The suite retries chunk one here; its answer is that check's business, not this one's.
        await api.SendAsync(HttpMethod.Patch, session.ExpectLocation(), cancellation, blob.FirstChunk, RegistryApi.OctetStream, blob.FirstRange);
        return (session, blob);
    }

    /// <summary>The suite's chunk sequence up to the status GET, which yields the location for chunk two.</summary>
    private async Task<(RegistryResponse Session, ChunkedBlob Blob, Uri StatusLocation)> SendFirstChunkThenStatusAsync()
    {
        var (session, blob) = await SendFirstChunkAndRetryAsync();
        var status = await api.SendAsync(HttpMethod.Get, session.ExpectLocation(), cancellation);
        status.ExpectStatus(204);
        return (session, blob, status.ExpectLocation());
    }

    private async Task SeedManifestBlobsAsync()
    {
        await api.SeedBlobAsync(repository, content.Configs[1], cancellation);
        await api.SeedBlobAsync(repository, content.Layer, cancellation);
    }

    private async Task SeedPushedManifestsAsync()
    {
        await SeedManifestBlobsAsync();
        for (var i = 0; i < 4; i++)
        {
            await api.SeedManifestAsync(repository, $"test{i}", content.Manifests[1], cancellation);
        }

        await api.SeedManifestAsync(repository, ConformanceContent.EmptyLayerTag, content.EmptyLayerManifest, cancellation);
    }

    private async Task DeletePushedManifestsAsync()
    {
        (await api.DeleteManifestAsync(repository, content.Manifests[1].Digest, cancellation)).ExpectSuccessOr(405);
        (await api.DeleteManifestAsync(repository, content.EmptyLayerManifest.Digest, cancellation)).ExpectSuccessOr(405);
    }
}
