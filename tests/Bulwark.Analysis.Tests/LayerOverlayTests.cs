using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests;

/// <summary>Building the final view: whiteouts, opaque directories, replacement, links (image-spec layer.md).</summary>
public sealed class LayerOverlayTests
{
    private static async Task<CapturingAnalyzer> ViewAsync(string[] globs, params byte[][] layers)
    {
        var capture = new CapturingAnalyzer(globs);
        await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(layers), analyzers: [capture]);
        return capture;
    }

    private static byte[] Tar(Action<TarBuilder> build)
    {
        using var builder = new TarBuilder();
        build(builder);
        return builder.ToArray();
    }

    [Fact]
    public async Task Whiteout_DeletesFileFromLowerLayer()
    {
        var view = await ViewAsync(["**"],
            Tar(t => t.File("etc/a", "1").File("etc/b", "2")),
            Tar(t => t.Whiteout("etc/a")));

        Assert.Equal(["etc/b"], view.Files.Keys);
    }

    [Fact]
    public async Task Whiteout_DeletesDirectoryAndEverythingUnderIt()
    {
        var view = await ViewAsync(["**"],
            Tar(t => t.File("opt/app/x", "1").File("opt/app/sub/y", "2").File("opt/application", "3")),
            Tar(t => t.Whiteout("opt/app")));

        Assert.Equal(["opt/application"], view.Files.Keys);
    }

    [Fact]
    public async Task Whiteout_DoesNotDeleteTheSameLayersOwnEntry()
    {
        // image-spec: whiteouts apply to lower layers only, whatever their order in the layer.
        var view = await ViewAsync(["**"],
            Tar(t => t.File("etc/a", "old")),
            Tar(t => t.File("etc/a", "new").Whiteout("etc/a")));

        Assert.Equal("new", view.Files["etc/a"]);
    }

    [Fact]
    public async Task Whiteout_ThenRecreatedInLaterLayer_IsPresent()
    {
        var view = await ViewAsync(["**"],
            Tar(t => t.File("etc/a", "1")),
            Tar(t => t.Whiteout("etc/a")),
            Tar(t => t.File("etc/a", "3")));

        Assert.Equal("3", view.Files["etc/a"]);
    }

    [Fact]
    public async Task OpaqueDirectory_HidesLowerContentButKeepsItsOwn()
    {
        var view = await ViewAsync(["**"],
            Tar(t => t.File("var/cache/old", "1").File("var/cache/sub/old2", "2").File("var/other", "3")),
            Tar(t => t.File("var/cache/new", "4").Opaque("var/cache")));

        Assert.Equal(["var/cache/new", "var/other"], view.Files.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LaterFile_ReplacesEarlierAndReportsItsLayer()
    {
        var capture = await ViewAsync(["etc/a"], Tar(t => t.File("etc/a", "1")), Tar(t => t.File("etc/a", "2")));

        Assert.Equal("2", capture.Files["etc/a"]);
        Assert.Equal(1, capture.View!.GetFile("etc/a")!.LayerIndex);
    }

    [Fact]
    public async Task FileReplacingDirectory_RemovesLowerContentUnderIt()
    {
        var view = await ViewAsync(["**"], Tar(t => t.File("srv/data/x", "1")), Tar(t => t.File("srv/data", "file")));

        Assert.Equal(["srv/data"], view.Files.Keys);
    }

    [Fact]
    public async Task SymlinkToUnwantedFile_IsFollowedWithASecondPass()
    {
        var capture = await ViewAsync(["etc/wanted"],
            Tar(t => t.File("usr/lib/real", "content").Symlink("etc/wanted", "../usr/lib/real")));

        Assert.Equal("content", capture.Files["etc/wanted"]);
    }

    [Fact]
    public async Task SymlinkThroughLinkedDirectory_Resolves()
    {
        var capture = await ViewAsync(["lib/apk/db/installed"],
            Tar(t => t.Symlink("lib", "usr/lib").File("usr/lib/apk/db/installed", "db")));

        Assert.Equal("db", capture.Files["lib/apk/db/installed"]);
    }

    [Fact]
    public async Task SymlinkEscapingTheRoot_StaysInsideTheImage()
    {
        // ../../../../etc/secret from etc/link resolves to the image's own etc/secret, never the host's.
        var capture = await ViewAsync(["etc/link"],
            Tar(t => t.File("etc/secret", "image's").Symlink("etc/link", "../../../../etc/secret")));

        Assert.Equal("image's", capture.Files["etc/link"]);
        Assert.Equal("etc/secret", capture.View!.Resolve("etc/link"));
        Assert.Equal("etc/secret", capture.View.Resolve("etc/abs/../secret"));
    }

    [Fact]
    public async Task AbsoluteSymlink_ResolvesFromTheImageRoot()
    {
        var capture = await ViewAsync(["etc/os-release"],
            Tar(t => t.File("usr/lib/os-release", "ID=test").Symlink("etc/os-release", "/usr/lib/os-release")));

        Assert.Equal("ID=test", capture.Files["etc/os-release"]);
    }

    [Fact]
    public async Task SymlinkLoop_IsNotFollowedForever()
    {
        var capture = await ViewAsync(["etc/a"], Tar(t => t.Symlink("etc/a", "b").Symlink("etc/b", "a")));

        Assert.Empty(capture.Files);
        Assert.Null(capture.View!.Resolve("etc/a"));
    }

    [Fact]
    public async Task HardlinkToUnwantedFile_GetsTheTargetsContent()
    {
        var capture = await ViewAsync(["etc/wanted"], Tar(t => t.File("usr/share/real", "shared").Hardlink("etc/wanted", "usr/share/real")));

        Assert.Equal("shared", capture.Files["etc/wanted"]);
    }

    [Fact]
    public async Task HardlinkToWantedFile_SharesContent()
    {
        var capture = await ViewAsync(["etc/*"], Tar(t => t.File("etc/one", "same").Hardlink("etc/two", "etc/one")));

        Assert.Equal("same", capture.Files["etc/two"]);
    }

    [Fact]
    public async Task WhiteoutOfSymlink_RemovesTheLink()
    {
        var capture = await ViewAsync(["etc/link"],
            Tar(t => t.File("usr/real", "x").Symlink("etc/link", "../usr/real")),
            Tar(t => t.Whiteout("etc/link")));

        Assert.Empty(capture.Files);
    }

    [Theory]
    [InlineData(System.Formats.Tar.TarEntryFormat.Pax)]
    [InlineData(System.Formats.Tar.TarEntryFormat.Gnu)]
    public async Task LongNames_AreRead(System.Formats.Tar.TarEntryFormat format)
    {
        var longName = "usr/share/" + string.Join('/', Enumerable.Repeat("very-long-directory-name", 12)) + "/file";
        using var builder = new TarBuilder(format);
        var capture = await ViewAsync(["usr/share/**"], builder.File(longName, "deep").ToArray());

        Assert.Equal("deep", capture.Files[longName]);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    [InlineData("none")]
    public async Task Compression_IsDetectedFromMagicBytes(string compression)
    {
        var tar = Tar(t => t.File("etc/os-release", "ID=alpine\nVERSION_ID=3.20.0\n"));
        var blob = compression switch { "gzip" => TarBuilder.Gzip(tar), "zstd" => TarBuilder.Zstd(tar), _ => tar };

        var inventory = await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(blob));

        Assert.Equal(("alpine", "3.20.0"), (inventory.OperatingSystem?.Id, inventory.OperatingSystem?.VersionId));
    }

    [Fact]
    public async Task ZstdLayers_ReadCorrectlyOneAfterAnother_AlsoAfterRefusedOnes()
    {
        // zstd decoders are pooled: one that read a layer to its end is reset and reused, one stopped by an error is not.
        static byte[] Release(string version) => TarBuilder.Zstd(Tar(t => t.File("etc/os-release", $"ID=alpine\nVERSION_ID={version}\n")));
        var bomb = TarBuilder.Zstd(Tar(t => t.ZeroFile("zeros", 8L * 1024 * 1024)));
        var truncated = Release("3.0.0")[..40];
        var versions = new List<string?>();

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<HostileImageException>(() =>
                SyntheticImage.AnalyzeAsync(SyntheticImage.Create(bomb), AnalysisLimits.Default with { MaxLayerBytes = 1024 * 1024 }));
            await Assert.ThrowsAsync<HostileImageException>(() => SyntheticImage.AnalyzeAsync(SyntheticImage.Create(truncated)));
            versions.Add((await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(Release($"3.{i}.0")))).OperatingSystem?.VersionId);
            versions.Add((await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(Release($"3.{i}.1"), Release($"3.{i}.2")))).OperatingSystem?.VersionId);
        }

        Assert.Equal(["3.0.0", "3.0.2", "3.1.0", "3.1.2", "3.2.0", "3.2.2"], versions);
    }

    [Fact]
    public async Task LargeWantedFile_IsSpilledToTheWorkspaceAndStillRead()
    {
        var big = new string('x', 3 * 1024 * 1024) + "end";
        var limits = AnalysisLimits.Default with { MaxInMemoryFileBytes = 1024 * 1024 };
        var capture = new CapturingAnalyzer("data/big");

        await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(Tar(t => t.File("data/big", big))), limits, [capture]);

        Assert.Equal(big, capture.Files["data/big"]);
    }

    [Fact]
    public async Task WantedFileOverTheAnalysedSizeCap_IsSkippedWithAWarning()
    {
        var limits = AnalysisLimits.Default with { MaxAnalyzedFileBytes = 1000 };
        var capture = new CapturingAnalyzer("data/big");

        var inventory = await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(Tar(t => t.ZeroFile("data/big", 5000))), limits, [capture]);

        Assert.Empty(capture.Files);
        Assert.Contains(inventory.Warnings, w => w.Contains("data/big", StringComparison.Ordinal));
    }
}
