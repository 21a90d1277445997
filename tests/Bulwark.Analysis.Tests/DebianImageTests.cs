using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Registry;
using Bulwark.Analysis.Sources;
using Bulwark.Analysis.Tests.Fixtures;
using Bulwark.Oci;

namespace Bulwark.Analysis.Tests;

/// <summary>The debootstrap Debian 12 system, analysed as a directory and as an image from every kind of source.</summary>
public sealed class DebianImageTests(LocalRegistry registry) : IClassFixture<LocalRegistry>
{
    private static readonly ImageAnalyzer Analyzer = new();

    [Fact]
    public async Task RootFs_FindsEveryDpkgPackageWithSourceAndVersion()
    {
        var truth = await DebootstrapRootFs.GroundTruthAsync();
        await using var source = new RootFsSource(await DebootstrapRootFs.GetAsync());

        var inventory = Assert.Single(await Analyzer.AnalyzeAsync(source, null, CancellationToken.None));

        Assert.True(truth.Count > 80, $"debootstrap installed only {truth.Count} packages");
        Assert.Equal(
            truth.Select(t => $"{t.Name} {t.Version} {t.SourceName} {t.SourceVersion}").Order(StringComparer.Ordinal),
            inventory.Packages.Select(p => $"{p.Name} {p.Version} {p.SourceName} {p.SourceVersion}").Order(StringComparer.Ordinal));
        Assert.Empty(inventory.Warnings);
    }

    [Fact]
    public async Task RootFs_DetectsDebian12AndPackageDetails()
    {
        await using var source = new RootFsSource(await DebootstrapRootFs.GetAsync());

        var inventory = Assert.Single(await Analyzer.AnalyzeAsync(source, null, CancellationToken.None));

        Assert.Equal("debian", inventory.OperatingSystem?.Id);
        Assert.Equal("12", inventory.OperatingSystem?.VersionId);
        Assert.Equal("bookworm", inventory.OperatingSystem?.Codename);
        Assert.StartsWith("12.", inventory.OperatingSystem?.DetailedVersion, StringComparison.Ordinal);
        var bash = Assert.Single(inventory.Packages, p => p.Name == "bash");
        Assert.Equal("amd64", bash.Architecture);
        // bookworm's dpkg database still names the pre-merged-usr paths.
        Assert.Contains("/bin/bash", bash.Files);
        Assert.DoesNotContain("/bin", bash.Files);
        Assert.Equal("/var/lib/dpkg/status", bash.FoundIn);
        Assert.StartsWith("pkg:deb/debian/bash@", bash.Purl, StringComparison.Ordinal);
        Assert.Contains("distro=debian-12", bash.Purl, StringComparison.Ordinal);
        // libc6 comes from the glibc source package; its machine-readable copyright names licences.
        var libc = Assert.Single(inventory.Packages, p => p.Name == "libc6");
        Assert.Equal("glibc", libc.SourceName);
        Assert.Contains(inventory.Packages, p => p.Licenses.Count > 0);
        Assert.Contains(inventory.Files, f => f.Path == "var/lib/dpkg/status");
        Assert.Contains(inventory.Files, f => f.Path == "etc/os-release");
    }

    [Fact]
    public async Task OciLayout_AttributesPackagesToTheLayerThatAddedThem()
    {
        var truth = await DebootstrapRootFs.GroundTruthAsync();
        await using var source = new OciLayoutSource(await DebianTestImage.GetOciLayoutAsync(), DebianTestImage.Tag);

        var inventory = Assert.Single(await Analyzer.AnalyzeAsync(source, null, CancellationToken.None));

        Assert.Equal(truth.Count + 1, inventory.Packages.Count);
        var added = Assert.Single(inventory.Packages, p => p.Name == DebianTestImage.AddedPackage);
        Assert.Equal(("bulwark-src", "9.9-1", 1), (added.SourceName, added.SourceVersion, added.LayerIndex));
        Assert.Equal(inventory.Layers[1].DiffId, added.LayerDigest);
        Assert.Equal(["/usr/share/bulwark/marker"], added.Files);
        Assert.All(inventory.Packages.Where(p => p != added), p => Assert.Equal(0, p.LayerIndex));
        Assert.Equal(["debootstrap --variant=minbase bookworm", "RUN install bulwark-fixture"], inventory.Layers.Select(l => l.CreatedBy));
        Assert.Equal("linux/amd64", inventory.Platform?.ToString());
        Assert.Equal("debian", inventory.OperatingSystem?.Id);
    }

    [Fact]
    public async Task AllImageSources_GiveTheSameInventory()
    {
        var layout = await DebianTestImage.GetOciLayoutAsync();
        var archive = await DebianTestImage.GetDockerArchiveAsync();
        var zstd = await DebianTestImage.GetZstdOciLayoutAsync();
        await ProcessRunner.RunAsync("skopeo", "copy", "--quiet", "--dest-tls-verify=false", $"oci:{layout}:{DebianTestImage.Tag}",
            $"docker://{registry.Host}/bulwark/debian:{DebianTestImage.Tag}");

        await using var fromLayout = ImageSources.Open($"oci:{layout}:{DebianTestImage.Tag}");
        await using var fromArchive = ImageSources.Open(archive);
        await using var fromZstdLayout = ImageSources.Open(zstd);
        await using var fromRegistry = ImageSources.Open($"{registry.Host}/bulwark/debian:{DebianTestImage.Tag}",
            new RegistrySourceOptions { AuthFiles = new RegistryAuthFiles(_ => null, null) });
        Assert.IsType<OciLayoutSource>(fromLayout);
        Assert.IsType<DockerArchiveSource>(fromArchive);
        Assert.IsType<RegistrySource>(fromRegistry);

        var inventories = new List<ImageInventory>();
        foreach (var source in new[] { fromLayout, fromArchive, fromRegistry, fromZstdLayout })
        {
            inventories.Add(Assert.Single(await Analyzer.AnalyzeAsync(source, PlatformSelection.Default, CancellationToken.None)));
        }

        var expected = Describe(inventories[0]);
        Assert.All(inventories.Skip(1), i => Assert.Equal(expected, Describe(i)));
        Assert.Equal(inventories[0].ManifestDigest, inventories[2].ManifestDigest);
        Assert.All(inventories, i => Assert.Equal(inventories[0].Layers.Select(l => l.DiffId), i.Layers.Select(l => l.DiffId)));
        Assert.Equal([MediaTypes.OciLayerZstd, MediaTypes.OciLayerZstd], inventories[3].Layers.Select(l => l.MediaType));
    }

    private static List<string> Describe(ImageInventory inventory) =>
    [
        $"os {inventory.OperatingSystem}",
        $"platform {inventory.Platform}",
        .. inventory.Packages.Select(p => $"{p.Purl} {p.SourceName} {p.SourceVersion} {p.LayerIndex} {p.LayerDigest} {string.Join(',', p.Licenses)} {p.Files.Count}"),
        .. inventory.Files.Select(f => $"{f.Path} {f.Sha256} {f.LayerIndex}"),
    ];
}
