using System.Text.Json;
using Bulwark.Interop.Tests.Infrastructure;
using Bulwark.Tests.Shared;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>
/// <c>bulwark sbom</c> on the image of real artifacts (<see cref="RealArtifactsImage"/>): every ecosystem is in both
/// documents with the name, version and purl the artifacts themselves give (<see cref="RealArtifactsGroundTruth"/>),
/// attributed to the layer that added it, and both documents are valid against the official schemas. The documents
/// carry a timestamp and a random serial, so the assertions are on content rather than on golden files.
/// </summary>
public sealed class RealArtifactsSbomTests(RealArtifactsSbomTests.Documents documents) : IClassFixture<RealArtifactsSbomTests.Documents>
{
    [Fact]
    public void CycloneDx_IsValidAgainstTheOfficialSchema() =>
        Assert.Empty(OfficialSchemas.ValidateCycloneDx(documents.CycloneDxJson));

    [Fact]
    public void Spdx_IsValidAgainstTheOfficialSchema() =>
        Assert.Empty(OfficialSchemas.ValidateSpdx(documents.SpdxJson));

    [Fact]
    public void CycloneDx_HasEveryPackageOfEveryEcosystem_WithItsLayer()
    {
        var components = documents.CycloneDx.RootElement.GetProperty("components").EnumerateArray()
            .Where(c => c.GetProperty("type").GetString() == "library")
            .Select(c => (Component: c, Properties: Properties(c)))
            .ToList();

        foreach (var expected in documents.Expected)
        {
            var (component, properties) = Assert.Single(components,
                c => c.Component.GetProperty("purl").GetString() == expected.Purl && c.Properties["bulwark:package:foundIn"] == expected.FoundIn);
            Assert.Equal(expected.Name, component.GetProperty("name").GetString());
            Assert.Equal(expected.Version, component.GetProperty("version").GetString());
            Assert.Equal(expected.Type, properties["bulwark:package:type"]);
            Assert.Equal(expected.Layer.ToString(System.Globalization.CultureInfo.InvariantCulture), properties["bulwark:layer:index"]);
            Assert.Equal(documents.DiffIds[expected.Layer], properties["bulwark:layer:diffID"]);
        }

        // Nothing else: no package the artifacts do not declare, and no duplicate.
        Assert.Equal(documents.Expected.Count, components.Count);
    }

    [Fact]
    public void CycloneDx_EachLayerAddsItsEcosystem()
    {
        var layers = documents.CycloneDx.RootElement.GetProperty("components").EnumerateArray()
            .Where(c => c.GetProperty("type").GetString() == "library")
            .Select(Properties)
            .Select(p => $"{p["bulwark:layer:index"]} {p["bulwark:package:type"]}")
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal(["1 golang", "2 pypi", "3 npm", "4 nuget", "5 golang"], layers);
    }

    [Fact]
    public async Task Go_DebiansBinariesCarryOnlyTheToolchain_TheModuleBuildCarriesItsModules()
    {
        // Debian builds its Go packages in GOPATH mode: the build info has the toolchain and no module lines.
        var debian = await RealArtifactsGroundTruth.GoBinariesAsync(await RealArtifactsImage.GetAsync(), RealArtifactsImage.GoLayer);
        Assert.Equal(["/usr/bin/age", "/usr/bin/age-keygen"], debian.Select(b => b.Path).Order(StringComparer.Ordinal));
        Assert.All(debian, b => Assert.Empty(b.Main.Concat(b.Dependencies)));
        Assert.All(debian, b => Assert.Contains(documents.Expected, e => e.FoundIn == b.Path && e.Purl == "pkg:golang/stdlib@" + b.GoVersion));

        var module = Assert.Single(await RealArtifactsGroundTruth.GoBinariesAsync(await RealArtifactsImage.GetAsync(), RealArtifactsImage.GoModuleLayer));
        Assert.Equal("/" + RealArtifactsImage.GoModuleBinary, module.Path);
        Assert.Equal([("golang.org/x/net", "v0.7.0")], module.Dependencies);
        Assert.Contains(documents.Expected, e => e is { Purl: "pkg:golang/golang.org/x/net@v0.7.0", Layer: RealArtifactsImage.GoModuleLayer });
    }

    [Fact]
    public void CycloneDx_OperatingSystemAndTool()
    {
        var os = Assert.Single(documents.CycloneDx.RootElement.GetProperty("components").EnumerateArray(),
            c => c.GetProperty("type").GetString() == "operating-system");
        var debianVersion = File.ReadAllText(Path.Combine(documents.Image.LayerDirectory(RealArtifactsImage.BaseLayer), "etc", "debian_version")).Trim();
        Assert.Equal(("debian", debianVersion), (os.GetProperty("name").GetString(), os.GetProperty("version").GetString()));

        var tool = Assert.Single(documents.CycloneDx.RootElement.GetProperty("metadata").GetProperty("tools").GetProperty("components").EnumerateArray());
        Assert.Equal("bulwark", tool.GetProperty("name").GetString());
        Assert.Matches(@"^[0-9]+\.[0-9]+\.[0-9]+", tool.GetProperty("version").GetString());
    }

    [Fact]
    public void Spdx_HasEveryPackageOfEveryEcosystem_WithItsLayer()
    {
        var packages = documents.Spdx.RootElement.GetProperty("packages").EnumerateArray()
            .Where(p => p.GetProperty("primaryPackagePurpose").GetString() == "LIBRARY")
            .Select(p => (Package: p, Annotations: Annotations(p)))
            .ToList();

        foreach (var expected in documents.Expected)
        {
            var (package, annotations) = Assert.Single(packages,
                p => Purl(p.Package) == expected.Purl && p.Annotations["bulwark:package:foundIn"] == expected.FoundIn);
            Assert.Equal(expected.Name, package.GetProperty("name").GetString());
            Assert.Equal(expected.Version, package.GetProperty("versionInfo").GetString());
            Assert.Equal(expected.Layer.ToString(System.Globalization.CultureInfo.InvariantCulture), annotations["bulwark:layer:index"]);
            Assert.Equal($"acquired package info from {expected.FoundIn} in layer {expected.Layer} ({documents.DiffIds[expected.Layer]})",
                package.GetProperty("sourceInfo").GetString());
        }

        Assert.Equal(documents.Expected.Count, packages.Count);
        var creators = documents.Spdx.RootElement.GetProperty("creationInfo").GetProperty("creators").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains(creators, c => c is not null && System.Text.RegularExpressions.Regex.IsMatch(c, @"^Tool: bulwark-[0-9]+\.[0-9]+\.[0-9]+"));
    }

    private static Dictionary<string, string> Properties(JsonElement component) =>
        component.GetProperty("properties").EnumerateArray()
            .GroupBy(p => p.GetProperty("name").GetString()!)
            .ToDictionary(g => g.Key, g => g.First().GetProperty("value").GetString()!);

    private static Dictionary<string, string> Annotations(JsonElement package) =>
        package.GetProperty("annotations").EnumerateArray()
            .Select(a => a.GetProperty("comment").GetString()!.Split('=', 2))
            .GroupBy(a => a[0])
            .ToDictionary(g => g.Key, g => g.First()[1]);

    private static string? Purl(JsonElement package) =>
        package.GetProperty("externalRefs").EnumerateArray().Single(r => r.GetProperty("referenceType").GetString() == "purl")
            .GetProperty("referenceLocator").GetString();

    /// <summary>Both documents of the image, written once by the real <c>bulwark</c> executable, and the ground truth.</summary>
    public sealed class Documents : IAsyncLifetime
    {
        internal RealArtifactsImage Image { get; private set; } = null!;

        internal IReadOnlyList<ExpectedPackage> Expected { get; private set; } = [];

        internal IReadOnlyList<string> DiffIds { get; private set; } = [];

        internal string CycloneDxJson { get; private set; } = "";

        internal string SpdxJson { get; private set; } = "";

        internal JsonDocument CycloneDx { get; private set; } = null!;

        internal JsonDocument Spdx { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Image = await RealArtifactsImage.GetAsync();
            Expected = await RealArtifactsGroundTruth.PackagesAsync(Image);
            DiffIds = RealArtifactsGroundTruth.DiffIds(Image);
            CycloneDxJson = (await BulwarkExecutable.RunAsync(["sbom", Image.Source, "--format", "cyclonedx"], CancellationToken.None)).AssertSucceeded().StandardOutput;
            SpdxJson = (await BulwarkExecutable.RunAsync(["sbom", Image.Source, "--format", "spdx"], CancellationToken.None)).AssertSucceeded().StandardOutput;
            CycloneDx = JsonDocument.Parse(CycloneDxJson);
            Spdx = JsonDocument.Parse(SpdxJson);
        }

        public Task DisposeAsync()
        {
            CycloneDx?.Dispose();
            Spdx?.Dispose();
            return Task.CompletedTask;
        }
    }
}
