using System.Text;
using System.Text.Json;
using Bulwark.Analysis.Sbom;
using Bulwark.Analysis.Sbom.CycloneDx;
using Bulwark.Analysis.Sbom.Spdx;
using Bulwark.Analysis.Sources;
using Bulwark.Analysis.Tests.Fixtures;
using Bulwark.Tests.Shared;

namespace Bulwark.Analysis.Tests.Sbom;

/// <summary>SBOMs of the real debootstrap Debian 12 image: schema-valid, and listing exactly the packages dpkg knows.</summary>
public sealed class DebianSbomTests
{
    private static readonly ImageAnalyzer Analyzer = new();

    [Fact]
    public async Task OciLayout_CycloneDx_IsValidAndListsExactlyTheDpkgPackages()
    {
        var truth = await DebootstrapRootFs.GroundTruthAsync();
        await using var source = new OciLayoutSource(await DebianTestImage.GetOciLayoutAsync(), DebianTestImage.Tag);
        var inventory = Assert.Single(await Analyzer.AnalyzeAsync(source, null, CancellationToken.None));

        var json = Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(CycloneDxBuilder.Build(inventory)));

        Assert.Empty(OfficialSchemas.ValidateCycloneDx(json));
        using var document = JsonDocument.Parse(json);
        var components = document.RootElement.GetProperty("components").EnumerateArray().ToList();
        var libraries = components.Where(c => c.GetProperty("type").GetString() == "library").ToList();
        Assert.Equal(
            truth.Select(t => $"{t.Name} {t.Version}").Append($"{DebianTestImage.AddedPackage} 1.0-1").Order(StringComparer.Ordinal),
            libraries.Select(c => $"{c.GetProperty("name").GetString()} {c.GetProperty("version").GetString()}").Order(StringComparer.Ordinal));
        Assert.All(libraries, c => Assert.StartsWith("pkg:deb/debian/", c.GetProperty("purl").GetString(), StringComparison.Ordinal));
        var os = Assert.Single(components, c => c.GetProperty("type").GetString() == "operating-system");
        Assert.Equal("debian", os.GetProperty("name").GetString());

        // Layer attribution: the fixture's package carries layer 1's diff id; libc6 names its source package.
        var added = libraries.Single(c => c.GetProperty("name").GetString() == DebianTestImage.AddedPackage);
        Assert.Contains(Properties(added), p => p == ("bulwark:layer:index", "1"));
        Assert.Contains(Properties(added), p => p == ("bulwark:layer:diffID", inventory.Layers[1].DiffId));
        Assert.Contains(Properties(libraries.Single(c => c.GetProperty("name").GetString() == "libc6")), p => p == ("bulwark:package:sourceName", "glibc"));
        Assert.Contains(libraries, c => c.TryGetProperty("licenses", out var l) && l.EnumerateArray().Any(x => x.TryGetProperty("license", out var lic) && lic.TryGetProperty("id", out _)));

        var metadata = document.RootElement.GetProperty("metadata").GetProperty("component");
        Assert.Equal("container", metadata.GetProperty("type").GetString());
        Assert.Equal(inventory.ManifestDigest, metadata.GetProperty("version").GetString());
    }

    [Fact]
    public async Task OciLayout_Spdx_IsValidAndListsExactlyTheDpkgPackages()
    {
        var truth = await DebootstrapRootFs.GroundTruthAsync();
        await using var source = new OciLayoutSource(await DebianTestImage.GetOciLayoutAsync(), DebianTestImage.Tag);
        var inventory = Assert.Single(await Analyzer.AnalyzeAsync(source, null, CancellationToken.None));

        var spdx = SpdxBuilder.Build(inventory);
        var json = Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(spdx));

        Assert.Empty(OfficialSchemas.ValidateSpdx(json));
        var libraries = spdx.Packages!.Where(p => p.PrimaryPackagePurpose == "LIBRARY").ToList();
        Assert.Equal(
            truth.Select(t => $"{t.Name} {t.Version}").Append($"{DebianTestImage.AddedPackage} 1.0-1").Order(StringComparer.Ordinal),
            libraries.Select(p => $"{p.Name} {p.VersionInfo}").Order(StringComparer.Ordinal));
        Assert.Equal(libraries.Count, spdx.Relationships!.Count(r => r.SpdxElementId == SpdxBuilder.ImageId && r.RelationshipType == "CONTAINS") - 1);
        Assert.All(libraries, p => Assert.Matches("^SPDXRef-[A-Za-z0-9.-]+$", p.SpdxId));
        Assert.Contains(libraries, p => p.LicenseDeclared is { } l && l != SpdxValues.NoAssertion && !l.Contains("LicenseRef-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RootFs_WithoutAManifest_GivesValidDocuments()
    {
        await using var source = new RootFsSource(await DebootstrapRootFs.GetAsync());
        var inventory = Assert.Single(await Analyzer.AnalyzeAsync(source, null, CancellationToken.None));

        var bom = CycloneDxBuilder.Build(inventory);

        Assert.Empty(OfficialSchemas.ValidateCycloneDx(Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(bom))));
        Assert.Empty(OfficialSchemas.ValidateSpdx(Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(SpdxBuilder.Build(inventory)))));
        Assert.Null(bom.Metadata.Component!.Purl);
        Assert.Equal("debootstrap-bookworm", bom.Metadata.Component.Name);
    }

    [Fact]
    public async Task Progress_ReportsEachLayerWithGrowingByteCounts()
    {
        var reports = new List<AnalysisProgress>();
        var analyzer = new ImageAnalyzer(options: new AnalysisOptions { Progress = new Collect(reports) });
        await using var source = new OciLayoutSource(await DebianTestImage.GetOciLayoutAsync(), DebianTestImage.Tag);

        await analyzer.AnalyzeAsync(source, null, CancellationToken.None);

        var main = reports.Where(r => r.Pass == 1).ToList();
        Assert.Equal([0, 1], main.Where(r => r.LayerDone).Select(r => r.Layer));
        Assert.All(main, r => Assert.Equal(2, r.LayerCount));
        Assert.Equal(main.Select(r => r.BytesRead).Order(), main.Select(r => r.BytesRead));
        Assert.True(main.Count > 10, $"only {main.Count} reports");
        Assert.True(main[^1].BytesRead > 50_000_000, $"read {main[^1].BytesRead} bytes");
    }

    private sealed class Collect(List<AnalysisProgress> reports) : IProgress<AnalysisProgress>
    {
        public void Report(AnalysisProgress value) => reports.Add(value);
    }

    private static List<(string?, string?)> Properties(JsonElement component) =>
        [.. component.GetProperty("properties").EnumerateArray().Select(p => (p.GetProperty("name").GetString(), p.GetProperty("value").GetString()))];
}
