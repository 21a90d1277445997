using Bulwark.Oci;

namespace Bulwark.Registry.Tests;

public sealed class GarbageCollectorTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Collect_KeepsEverythingWithinTheGracePeriod()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var orphan = await registry.PushBlobAsync("app", "uploaded, manifest not pushed yet"u8.ToArray());
        var report = await registry.Collector.CollectAsync(dryRun: false, None);
        Assert.Empty(report.Blobs);
        Assert.NotNull(await registry.Store.GetSizeAsync(orphan, None));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Collect_RemovesUnreferencedBlobsAfterGrace_KeepsReferencedOnes(string database)
    {
        await using var registry = await RegistryHarness.CreateAsync(database: database);
        var image = await registry.PushImageAsync("app", "v1", "kept layer");
        var orphan = await registry.PushBlobAsync("app", "orphan"u8.ToArray());
        registry.Time.Advance(TimeSpan.FromHours(2));

        var dry = await registry.Collector.CollectAsync(dryRun: true, None);
        Assert.Equal([orphan.ToString()], dry.Blobs);
        Assert.NotNull(await registry.Store.GetSizeAsync(orphan, None));

        var report = await registry.Collector.CollectAsync(dryRun: false, None);
        Assert.Equal([orphan.ToString()], report.Blobs);
        Assert.Equal(6, report.BytesFreed);
        Assert.Null(await registry.Store.GetSizeAsync(orphan, None));
        Assert.NotNull(await registry.Store.GetSizeAsync(image.Digest, None));
        var content = await registry.Manifests.ReadContentAsync(image, None);
        var manifest = ManifestParser.Parse(content, null);
        foreach (var reference in manifest.References)
        {
            Assert.NotNull(await registry.Store.GetSizeAsync(Digest.Parse(reference.Digest), None));
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Collect_BlobStillLinkedInAnotherRepository_IsKept(string database)
    {
        await using var registry = await RegistryHarness.CreateAsync(database: database);
        var image = await registry.PushImageAsync("app", "v1", "layer");
        await registry.Manifests.DeleteAsync("app", image.Digest.ToString(), None);
        var manifest = ManifestParser.Parse(await registry.Manifests.ReadContentAsync(image, None), null);
        var layer = Digest.Parse(manifest.References[1].Digest);
        await registry.Uploads.TryMountAsync("other", layer, "app", None);
        registry.Time.Advance(TimeSpan.FromMinutes(30));
        await registry.PushImageAsync("other", "v1", "layer");
        registry.Time.Advance(TimeSpan.FromHours(2));

        var report = await registry.Collector.CollectAsync(dryRun: false, None);

        Assert.DoesNotContain(layer.ToString(), report.Blobs);
        Assert.NotNull(await registry.Store.GetSizeAsync(layer, None));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Collect_UntaggedManifests_OnlyWithRetention_AndNotReferrersOfLiveSubjects(string database)
    {
        await using var registry = await RegistryHarness.CreateAsync(o => o with { UntaggedManifestRetention = TimeSpan.FromDays(1) }, database: database);
        var subject = await registry.PushImageAsync("app", "v1", "subject");
        var signature = await registry.PushImageAsync("app", "sig", "signature", subject.Digest.ToString());
        await registry.Manifests.DeleteAsync("app", "sig", None);
        var untagged = await registry.PushImageAsync("app", "old", "old layer");
        await registry.Manifests.DeleteAsync("app", "old", None);
        registry.Time.Advance(TimeSpan.FromDays(2));

        var report = await registry.Collector.CollectAsync(dryRun: false, None);

        Assert.Equal([$"app@{untagged.Digest}"], report.Manifests);
        Assert.NotNull(await registry.Manifests.FindAsync("app", signature.Digest.ToString(), None));
        Assert.NotNull(await registry.Manifests.FindAsync("app", "v1", None));
        Assert.Null(await registry.Manifests.FindAsync("app", untagged.Digest.ToString(), None));
        Assert.Null(await registry.Store.GetSizeAsync(untagged.Digest, None));
    }

    [Fact]
    public async Task Collect_BlobReuploadedWhileAside_IsRestored()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var content = "reclaimed"u8.ToArray();
        var digest = await registry.PushBlobAsync("app", content);
        // Simulate the race: the collector moved the bytes aside, then an upload touched the row again.
        var removed = await registry.Store.DeleteAsync(digest, async ct =>
        {
            await registry.Repositories.TryTouchExistingBlobAsync(digest, ct);
            return false;
        }, None);
        Assert.False(removed);
        Assert.Equal(content.Length, await registry.Store.GetSizeAsync(digest, None));
    }

    [Fact]
    public async Task Collect_OrphanFileWithoutRow_IsRemovedAfterGrace()
    {
        await using var registry = await RegistryHarness.CreateAsync();
        var digest = Digest.Compute("left by a crash"u8);
        await registry.Store.PutAsync(digest, "left by a crash"u8.ToArray(), None);
        File.SetLastWriteTimeUtc(registry.Store.GetLocalPath(digest)!, registry.Time.GetUtcNow().UtcDateTime.AddHours(-3));
        var report = await registry.Collector.CollectAsync(dryRun: false, None);
        Assert.Contains(digest.ToString(), report.Blobs);
        Assert.Null(await registry.Store.GetSizeAsync(digest, None));
    }
}
