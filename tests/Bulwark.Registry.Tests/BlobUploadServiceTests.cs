using System.Security.Cryptography;
using Bulwark.Oci;
using Bulwark.Registry.Uploads;

namespace Bulwark.Registry.Tests;

public sealed class BlobUploadServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ChunkedUpload_InOrder_StoresVerifiedBlob(string database)
    {
        await using var registry = await RegistryHarness.CreateAsync(database: database);
        var content = RandomNumberGenerator.GetBytes(3000);
        var session = await registry.Uploads.StartAsync("team/app", None);

        var first = await registry.Uploads.AppendAsync("team/app", session.Id, new MemoryStream(content[..1000]), new ContentRange(0, 999), 1000, None);
        Assert.Equal(1000, first.Offset);
        await registry.Uploads.AppendAsync("team/app", session.Id, new MemoryStream(content[1000..2000]), null, null, None);
        var stored = await registry.Uploads.CompleteAsync("team/app", session.Id, Digest.Compute(content),
            new MemoryStream(content[2000..]), new ContentRange(2000, 2999), 1000, None);

        Assert.Equal(3000, stored.Size);
        Assert.Equal(Digest.Compute(content), stored.Digest);
        var repo = await registry.Repositories.FindAsync("team/app", None);
        Assert.Equal(3000, await registry.Repositories.GetLinkedBlobSizeAsync(repo!.Value, stored.Digest, None));
        await using var read = await registry.Store.OpenReadAsync(stored.Digest, None);
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task Append_OutOfOrderChunk_IsRangeInvalidAndKeepsOffset()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var session = await registry.Uploads.StartAsync("a", None);
        await registry.Uploads.AppendAsync("a", session.Id, new MemoryStream(new byte[10]), new ContentRange(0, 9), 10, None);

        var gap = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Uploads.AppendAsync("a", session.Id, new MemoryStream(new byte[5]), new ContentRange(20, 24), 5, None));
        var overlap = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Uploads.AppendAsync("a", session.Id, new MemoryStream(new byte[5]), new ContentRange(5, 9), 5, None));

        Assert.Equal(RegistryErrorCode.RangeInvalid, gap.Code);
        Assert.Equal(RegistryErrorCode.RangeInvalid, overlap.Code);
        Assert.Equal(10, (await registry.Uploads.GetStatusAsync("a", session.Id, None)).Offset);
    }

    [Fact]
    public async Task Append_ContentRangeDisagreesWithLength_IsRangeInvalid()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var session = await registry.Uploads.StartAsync("a", None);
        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Uploads.AppendAsync("a", session.Id, new MemoryStream(new byte[5]), new ContentRange(0, 9), 5, None));
        Assert.Equal(RegistryErrorCode.RangeInvalid, error.Code);
    }

    [Fact]
    public async Task Complete_WrongDigest_StoresNothingAndEndsSession()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var session = await registry.Uploads.StartAsync("a", None);
        var wrong = Digest.Compute("other"u8);

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Uploads.CompleteAsync("a", session.Id, wrong, new MemoryStream("content"u8.ToArray()), null, 7, None));

        Assert.Equal(RegistryErrorCode.DigestInvalid, error.Code);
        Assert.Null(await registry.Store.GetSizeAsync(Digest.Compute("content"u8), None));
        Assert.Null(await registry.Store.GetSizeAsync(wrong, None));
        Assert.False(File.Exists(registry.Store.GetStagingPath(session.Id)));
        var gone = await Assert.ThrowsAsync<RegistryException>(() => registry.Uploads.GetStatusAsync("a", session.Id, None));
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, gone.Code);
    }

    [Fact]
    public async Task Upload_Monolithic_WrongDigest_StoresNothing()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var wrong = Digest.Compute("x"u8);
        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Uploads.UploadAsync("a", wrong, new MemoryStream("y"u8.ToArray()), 1, None));
        Assert.Equal(RegistryErrorCode.DigestInvalid, error.Code);
        Assert.Empty(Directory.EnumerateFiles(registry.Options.BlobsDirectory, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(registry.Options.UploadsDirectory));
    }

    [Fact]
    public async Task Upload_ContentLengthMismatch_IsSizeInvalid()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var content = "abc"u8.ToArray();
        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Uploads.UploadAsync("a", Digest.Compute(content), new MemoryStream(content), 4, None));
        Assert.Equal(RegistryErrorCode.SizeInvalid, error.Code);
    }

    [Fact]
    public async Task Upload_OverTheBlobLimit_IsTooLarge()
    {
        await using var registry = await RegistryHarness.CreateAsync(o => o with { MaxBlobBytes = 100 });
        var content = new byte[101];
        var declared = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Uploads.UploadAsync("a", Digest.Compute(content), new MemoryStream(content), 101, None));
        var streamed = await Assert.ThrowsAsync<RegistryException>(() =>
            registry.Uploads.UploadAsync("a", Digest.Compute(content), new MemoryStream(content), null, None));
        Assert.Equal(RegistryErrorCode.BlobTooLarge, declared.Code);
        Assert.Equal(RegistryErrorCode.BlobTooLarge, streamed.Code);
    }

    [Fact]
    public async Task Session_InAnotherRepository_IsUnknown()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var session = await registry.Uploads.StartAsync("a", None);
        await registry.Uploads.StartAsync("b", None);
        var error = await Assert.ThrowsAsync<RegistryException>(() => registry.Uploads.GetStatusAsync("b", session.Id, None));
        Assert.Equal(RegistryErrorCode.BlobUploadUnknown, error.Code);
    }

    [Fact]
    public async Task Session_SurvivesRestart_AndResumesAtRecordedOffset()
    {
        var content = RandomNumberGenerator.GetBytes(2048);
        await using var first = await RegistryHarness.CreateAsync();
        string id;
        {
            id = (await first.Uploads.StartAsync("a", None)).Id;
            await first.Uploads.AppendAsync("a", id, new MemoryStream(content[..1024]), new ContentRange(0, 1023), 1024, None);
            // Bytes of a chunk that failed mid-way, never acknowledged: they must be discarded.
            await File.AppendAllTextAsync(first.Store.GetStagingPath(id), "garbage");
        }

        await using var second = await first.ReopenAsync();
        Assert.Equal(1024, (await second.Uploads.GetStatusAsync("a", id, None)).Offset);
        var stored = await second.Uploads.CompleteAsync("a", id, Digest.Compute(content), new MemoryStream(content[1024..]),
            new ContentRange(1024, 2047), 1024, None);
        Assert.Equal(2048, stored.Size);
    }

    [Fact]
    public async Task Cancel_RemovesSessionAndStagedData()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var session = await registry.Uploads.StartAsync("a", None);
        await registry.Uploads.AppendAsync("a", session.Id, new MemoryStream(new byte[10]), null, 10, None);
        await registry.Uploads.CancelAsync("a", session.Id, None);
        Assert.False(File.Exists(registry.Store.GetStagingPath(session.Id)));
        await Assert.ThrowsAsync<RegistryException>(() => registry.Uploads.CancelAsync("a", session.Id, None));
    }

    [Fact]
    public async Task RemoveExpiredSessions_RemovesOnlyIdleOnes()
    {
        await using var registry = await RegistryHarness.CreateAsync(o => o with { UploadSessionTimeout = TimeSpan.FromHours(1) });
        var old = await registry.Uploads.StartAsync("a", None);
        registry.Time.Advance(TimeSpan.FromMinutes(50));
        var recent = await registry.Uploads.StartAsync("a", None);
        registry.Time.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal(1, await registry.Uploads.RemoveExpiredSessionsAsync(None));
        await Assert.ThrowsAsync<RegistryException>(() => registry.Uploads.GetStatusAsync("a", old.Id, None));
        Assert.Equal(0, (await registry.Uploads.GetStatusAsync("a", recent.Id, None)).Offset);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Mount_FromRepositoryHoldingBlob_LinksWithoutCopy(string database)
    {
        await using var registry = await RegistryHarness.CreateAsync(database: database);
        var digest = await registry.PushBlobAsync("source", "shared layer"u8.ToArray());

        var mounted = await registry.Uploads.TryMountAsync("target", digest, "source", None);
        var missing = await registry.Uploads.TryMountAsync("target", Digest.Compute("nope"u8), "source", None);
        var wrongSource = await registry.Uploads.TryMountAsync("other", digest, "nowhere", None);

        Assert.NotNull(mounted);
        Assert.Null(missing);
        Assert.Null(wrongSource);
        var target = await registry.Repositories.FindAsync("target", None);
        Assert.NotNull(await registry.Repositories.GetLinkedBlobSizeAsync(target!.Value, digest, None));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ConcurrentUploads_OfTheSameBlob_AllSucceedWithOneCopy(string database)
    {
        await using var registry = await RegistryHarness.CreateAsync(database: database);
        var content = RandomNumberGenerator.GetBytes(200_000);
        var digest = Digest.Compute(content);
        var pushes = Enumerable.Range(0, 8).Select(i =>
            registry.Uploads.UploadAsync($"repo{i % 3}", digest, new MemoryStream(content), content.Length, None));
        var results = await Task.WhenAll(pushes);
        Assert.All(results, r => Assert.Equal(digest, r.Digest));
        Assert.Single(Directory.EnumerateFiles(registry.Options.BlobsDirectory, "*", SearchOption.AllDirectories));
        Assert.Equal(content.Length, await registry.Store.GetSizeAsync(digest, None));
    }
}
