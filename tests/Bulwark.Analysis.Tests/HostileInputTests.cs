using System.Text;
using Bulwark.Analysis.Sources;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests;

/// <summary>Every hostile-input rule refuses the image with a typed error naming the rule, and writes nothing outside the temp area.</summary>
public sealed class HostileInputTests
{
    private static byte[] Tar(Action<TarBuilder> build)
    {
        using var builder = new TarBuilder();
        build(builder);
        return builder.ToArray();
    }

    private static async Task<HostileImageException> RefusedAsync(AnalysisLimits? limits, params byte[][] layers) =>
        await Assert.ThrowsAsync<HostileImageException>(() => SyntheticImage.AnalyzeAsync(SyntheticImage.Create(layers), limits));

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("usr/../../etc/passwd")]
    [InlineData("usr/lib/..")]
    public async Task DotDotName_IsRefused(string name)
    {
        var error = await RefusedAsync(null, Tar(t => t.File(name, "x")));

        Assert.Equal(HostileImageReason.PathTraversal, error.Reason);
    }

    [Fact]
    public async Task AbsoluteName_IsRefused()
    {
        var error = await RefusedAsync(null, Tar(t => t.File("/etc/passwd", "x")));

        Assert.Equal(HostileImageReason.AbsolutePath, error.Reason);
    }

    [Theory]
    [InlineData("../../etc/shadow")]
    [InlineData("/etc/shadow")]
    public async Task HardlinkOutsideTheImage_IsRefused(string target)
    {
        var error = await RefusedAsync(null, Tar(t => t.Hardlink("etc/x", target)));

        Assert.Equal(HostileImageReason.LinkEscape, error.Reason);
    }

    [Fact]
    public async Task GzipBomb_StopsAtTheLayerLimit()
    {
        // 64 MiB of zeros compresses to ~64 KiB; the layer limit is 8 MiB.
        var bomb = TarBuilder.Gzip(Tar(t => t.ZeroFile("zeros", 64L * 1024 * 1024)));
        var limits = AnalysisLimits.Default with { MaxLayerBytes = 8L * 1024 * 1024 };

        var error = await RefusedAsync(limits, bomb);

        Assert.True(bomb.Length < 1024 * 1024);
        Assert.Equal(HostileImageReason.LayerTooLarge, error.Reason);
        Assert.Contains("MaxLayerBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZstdBomb_StopsAtTheLayerLimit()
    {
        var bomb = TarBuilder.Zstd(Tar(t => t.ZeroFile("zeros", 32L * 1024 * 1024)));
        var limits = AnalysisLimits.Default with { MaxLayerBytes = 4L * 1024 * 1024 };

        var error = await RefusedAsync(limits, bomb);

        Assert.Equal(HostileImageReason.LayerTooLarge, error.Reason);
    }

    [Fact]
    public async Task ManyLayersTogether_StopAtTheImageLimit()
    {
        var layer = TarBuilder.Gzip(Tar(t => t.ZeroFile("zeros", 3L * 1024 * 1024)));
        var limits = AnalysisLimits.Default with { MaxLayerBytes = 4L * 1024 * 1024, MaxTotalBytes = 10L * 1024 * 1024 };

        var error = await RefusedAsync(limits, layer, layer, layer, layer);

        Assert.Equal(HostileImageReason.ImageTooLarge, error.Reason);
    }

    [Fact]
    public async Task TooManyEntriesInALayer_IsRefused()
    {
        var layer = Tar(t =>
        {
            for (var i = 0; i < 101; i++)
            {
                t.File($"f{i}", "");
            }
        });

        var error = await RefusedAsync(AnalysisLimits.Default with { MaxEntriesPerLayer = 100 }, layer);

        Assert.Equal(HostileImageReason.TooManyEntries, error.Reason);
    }

    [Fact]
    public async Task TooManyEntriesAcrossLayers_IsRefused()
    {
        var layer = Tar(t =>
        {
            for (var i = 0; i < 60; i++)
            {
                t.File($"f{i}", "");
            }
        });

        var error = await RefusedAsync(AnalysisLimits.Default with { MaxTotalEntries = 100 }, layer, layer);

        Assert.Equal(HostileImageReason.TooManyEntries, error.Reason);
        Assert.Contains("MaxTotalEntries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedSingleFile_IsRefused()
    {
        var error = await RefusedAsync(AnalysisLimits.Default with { MaxFileBytes = 1000 }, Tar(t => t.ZeroFile("big", 1001)));

        Assert.Equal(HostileImageReason.FileTooLarge, error.Reason);
    }

    [Fact]
    public async Task OverlongName_IsRefused()
    {
        var error = await RefusedAsync(AnalysisLimits.Default with { MaxPathBytes = 100 }, Tar(t => t.File(new string('a', 101), "")));

        Assert.Equal(HostileImageReason.PathTooLong, error.Reason);
    }

    [Fact]
    public async Task TooManyLayers_IsRefused()
    {
        var layer = Tar(t => t.File("a", ""));

        var error = await RefusedAsync(AnalysisLimits.Default with { MaxLayers = 2 }, layer, layer, layer);

        Assert.Equal(HostileImageReason.TooManyLayers, error.Reason);
    }

    [Fact]
    public async Task GarbageLayer_IsRefusedAsMalformed()
    {
        var garbage = Encoding.ASCII.GetBytes(new string('z', 2048));

        var error = await RefusedAsync(null, garbage);

        Assert.Equal(HostileImageReason.MalformedArchive, error.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public async Task TarEndingRightAfterTheLastFilesData_IsAccepted_AsUmociWritesIt(int lastFileBytes)
    {
        // No padding after the last file's data and no end-of-archive blocks: the layer ends where the data does.
        var lastData = Encoding.ASCII.GetBytes(new string('y', lastFileBytes));
        var tar = Tar(t => t.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n").File("etc/other", lastData));
        var unpadded = tar[..(tar.Length - 1024 - ((512 - (lastFileBytes % 512)) % 512))];
        Assert.All(tar[unpadded.Length..], b => Assert.Equal(0, b));

        var inventory = await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(unpadded), null);

        Assert.Equal("debian", inventory.OperatingSystem?.Id);
    }

    [Fact]
    public async Task TarCutInsideTheLastFilesData_IsStillRefused()
    {
        var tar = Tar(t => t.File("etc/os-release", "ID=debian\n").File("etc/other", new string('y', 300)));
        var error = await RefusedAsync(null, tar[..(tar.Length - 1024 - 212 - 100)]);
        Assert.Equal(HostileImageReason.MalformedArchive, error.Reason);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    [InlineData("none")]
    public async Task TruncatedOrCorruptLayer_IsRefusedAsMalformed(string compression)
    {
        var noise = new byte[100_000];
        new Random(7).NextBytes(noise);
        var tar = Tar(t => t.File("etc/os-release", noise).File("etc/other", "y"));
        var blob = compression switch { "gzip" => TarBuilder.Gzip(tar), "zstd" => TarBuilder.Zstd(tar), _ => tar };
        var truncated = blob[..(blob.Length / 2)];
        var corrupt = (byte[])blob.Clone();
        corrupt[corrupt.Length / 2] ^= 0xff;
        corrupt[(corrupt.Length / 2) + 1] ^= 0xff;

        var error = await RefusedAsync(null, truncated);

        Assert.Equal(HostileImageReason.MalformedArchive, error.Reason);
        // gzip carries a CRC; zstd frames written without a checksum and plain tars cannot tell flipped bytes.
        if (compression == "gzip")
        {
            Assert.Equal(HostileImageReason.MalformedArchive, (await RefusedAsync(null, corrupt)).Reason);
        }
    }

    [Fact]
    public async Task TamperedBlobInOciLayout_IsRefusedByDigest()
    {
        var directory = Directory.CreateTempSubdirectory("bulwark-oci-").FullName;
        try
        {
            var tarFile = Path.Combine(directory, "layer.tar");
            await File.WriteAllBytesAsync(tarFile, Tar(t => t.File("etc/os-release", "ID=debian\n")));
            var layout = Path.Combine(directory, "layout");
            await OciLayoutWriter.WriteAsync(layout, "t", [(tarFile, OciLayoutWriter.Compression.None, "x")]);
            var blob = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Single(f => new FileInfo(f).Length == new FileInfo(tarFile).Length);
            var bytes = await File.ReadAllBytesAsync(blob);
            bytes[600] ^= 1;
            await File.WriteAllBytesAsync(blob, bytes);
            await using var source = new OciLayoutSource(layout, "t");

            var error = await Assert.ThrowsAsync<HostileImageException>(() => new ImageAnalyzer().AnalyzeAsync(source, null, CancellationToken.None));

            Assert.Equal(HostileImageReason.DigestMismatch, error.Reason);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Analysis_WritesOnlyInsideItsTempAreaAndRemovesIt()
    {
        var parent = Directory.CreateTempSubdirectory("bulwark-temp-").FullName;
        try
        {
            var big = new string('x', 2 * 1024 * 1024);
            var options = new AnalysisOptions { TempDirectory = parent, Limits = AnalysisLimits.Default with { MaxInMemoryFileBytes = 1024 } };
            var capture = new CapturingAnalyzer("**");

            await new ImageAnalyzer([capture], options).AnalyzeAsync(SyntheticImage.Create(Tar(t => t.File("etc/x", big).Symlink("etc/y", "../../../tmp/evil"))), CancellationToken.None);

            Assert.Equal(big, capture.Files["etc/x"]);
            Assert.Empty(Directory.GetFileSystemEntries(parent));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
