using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Analysis.Sbom;
using Bulwark.Analysis.Sbom.CycloneDx;
using Bulwark.Analysis.Sbom.Spdx;
using Bulwark.Analysis.Tests.Fixtures;
using Bulwark.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Analysis.Tests.Sbom;

/// <summary>
/// The writers on a synthetic inventory: byte-for-byte against committed golden files (set BULWARK_UPDATE_GOLDEN=1 to
/// rewrite them after a deliberate change), valid against the official schemas, and consistent (unique ids, every
/// reference resolves).
/// </summary>
public sealed partial class SbomGoldenTests
{
    private static readonly SbomOptions Options = new()
    {
        DocumentId = SyntheticInventory.DocumentId,
        TimeProvider = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero)),
        ToolVersion = "1.0.0-test",
    };

    private static string GoldenDirectory => Path.Combine(TestPaths.RepositoryRoot, "tests", "Bulwark.Analysis.Tests", "Sbom", "Golden");

    [Fact]
    public void CycloneDx_MatchesGoldenFile()
    {
        var json = Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(CycloneDxBuilder.Build(SyntheticInventory.Create(), Options)));
        AssertGolden("synthetic.cdx.json", json);
    }

    [Fact]
    public void Spdx_MatchesGoldenFile()
    {
        var json = Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(SpdxBuilder.Build(SyntheticInventory.Create(), Options)));
        AssertGolden("synthetic.spdx.json", json);
    }

    [Fact]
    public void CycloneDx_IsValidAgainstTheSchema()
    {
        var json = Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(CycloneDxBuilder.Build(SyntheticInventory.Create(), Options)));
        Assert.Empty(OfficialSchemas.ValidateCycloneDx(json));
    }

    [Fact]
    public void Spdx_IsValidAgainstTheSchema()
    {
        var json = Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(SpdxBuilder.Build(SyntheticInventory.Create(), Options)));
        Assert.Empty(OfficialSchemas.ValidateSpdx(json));
    }

    [Fact]
    public void Schemas_RejectABrokenDocument()
    {
        // The validator must be able to fail: a wrong bomFormat, a component without a name, an unknown SPDX licence id; an unknown SPDX relationship type.
        var bom = CycloneDxBuilder.Build(SyntheticInventory.Create(), Options);
        var broken = bom with
        {
            BomFormat = "SPDX",
            Components = [new CycloneDxComponent { Type = "library", Name = "x", Licenses = [new() { License = new() { Id = "Not-A-Licence" } }] }],
        };
        var errors = OfficialSchemas.ValidateCycloneDx(Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(broken)));
        Assert.Contains(errors, e => e.Contains("/bomFormat", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("/components/0/licenses/0/license/id", StringComparison.Ordinal));

        var document = SpdxBuilder.Build(SyntheticInventory.Create(), Options);
        var spdxErrors = OfficialSchemas.ValidateSpdx(Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(document with { Relationships = [new SpdxRelationship("SPDXRef-DOCUMENT", "LIKES", "SPDXRef-Image")] })));
        Assert.Contains(spdxErrors, e => e.Contains("/relationships/0/relationshipType", StringComparison.Ordinal));
    }

    [Fact]
    public void CycloneDx_WithVulnerabilities_IsValidAgainstTheSchema()
    {
        var bom = CycloneDxBuilder.Build(SyntheticInventory.Create(), Options);
        var bash = bom.Components!.First(c => c.Name == "bash");
        var withVulnerabilities = bom with
        {
            Vulnerabilities =
            [
                new CycloneDxVulnerability
                {
                    BomRef = "CVE-2022-3715",
                    Id = "CVE-2022-3715",
                    Source = new CycloneDxSource { Name = "debian", Url = "https://security-tracker.debian.org/tracker/CVE-2022-3715" },
                    References = [new CycloneDxReference { Id = "GHSA-xxxx-yyyy-zzzz", Source = new CycloneDxSource { Name = "GitHub" } }],
                    Ratings = [new CycloneDxRating { Source = new CycloneDxSource { Name = "nvd" }, Score = 7.8, Severity = "high", Method = "CVSSv31", Vector = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H" }],
                    Cwes = [787],
                    Description = "A heap-buffer-overflow in valid_parameter_transform.",
                    Recommendation = "Upgrade bash to 5.2.15-2+b8 or later.",
                    Advisories = [new CycloneDxAdvisory { Title = "DSA", Url = "https://security-tracker.debian.org/tracker/CVE-2022-3715" }],
                    Published = "2023-01-05T15:15:00Z",
                    Updated = "2023-02-01T00:00:00Z",
                    Analysis = new CycloneDxVulnerabilityAnalysis { State = "exploitable", Response = ["update"] },
                    Affects = [new CycloneDxAffects { Ref = bash.BomRef!, Versions = [new CycloneDxAffectedVersion { Version = bash.Version, Status = "affected" }] }],
                },
            ],
        };
        Assert.Empty(OfficialSchemas.ValidateCycloneDx(Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(withVulnerabilities))));
    }

    [Fact]
    public void CycloneDx_RefsAreUniqueAndEveryDependencyResolves()
    {
        var bom = CycloneDxBuilder.Build(SyntheticInventory.Create(), Options);
        var refs = bom.Components!.Select(c => c.BomRef!).Append(bom.Metadata.Component!.BomRef!).ToList();
        Assert.Equal(refs.Count, refs.Distinct(StringComparer.Ordinal).Count());
        Assert.All(bom.Dependencies!, d => Assert.Contains(d.Ref, refs));
        Assert.All(bom.Dependencies!.SelectMany(d => d.DependsOn ?? []), r => Assert.Contains(r, refs));
        Assert.Equal(refs.Count, bom.Dependencies!.Count);

        // image → OS and the language roots; OS → OS packages; @types/node → lodash and the unicode package (not the unknown one).
        var image = bom.Dependencies!.Single(d => d.Ref == bom.Metadata.Component!.BomRef);
        Assert.Equal(["os:debian@12.5", "pkg:npm/%40types/node@20.1.0", "pkg:npm/lodash@4.17.21|2"], image.DependsOn);
        Assert.Equal(3, bom.Dependencies!.Single(d => d.Ref == "os:debian@12.5").DependsOn!.Count);
        Assert.Equal(["pkg:npm/lodash@4.17.21", "pkg:npm/%C3%BCn%C3%AFcode%20pkg@1.0.0"], bom.Dependencies!.Single(d => d.Ref == "pkg:npm/%40types/node@20.1.0").DependsOn);
        Assert.Empty(bom.Dependencies!.Single(d => d.Ref == "pkg:npm/lodash@4.17.21").DependsOn!);
    }

    [Fact]
    public void CycloneDx_ImageIsAContainerWithAnOciPurl()
    {
        var component = CycloneDxBuilder.Build(SyntheticInventory.Create(), Options).Metadata.Component!;
        Assert.Equal("container", component.Type);
        Assert.Equal(SyntheticInventory.ManifestDigest, component.Version);
        // purl-spec oci: lower-case last repository segment, digest as version (':' encoded), qualifiers sorted.
        Assert.Equal("pkg:oci/app@sha256%3A1111111111111111111111111111111111111111111111111111111111111111"
            + "?arch=arm64&repository_url=registry.example.com/team/app&tag=1.0", component.Purl);
        Assert.Contains(component.Properties!, p => p == new CycloneDxProperty("bulwark:image:platform", "linux/arm64/v8"));
    }

    [Fact]
    public void Spdx_IdsAreValidAndUniqueAndEveryRelationshipResolves()
    {
        var document = SpdxBuilder.Build(SyntheticInventory.Create(), Options);
        var ids = document.Packages!.Select(p => p.SpdxId).ToList();
        Assert.All(ids, id => Assert.Matches(SpdxIdPattern(), id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        var known = ids.Append("SPDXRef-DOCUMENT").ToHashSet(StringComparer.Ordinal);
        Assert.All(document.Relationships!, r =>
        {
            Assert.Contains(r.SpdxElementId, known);
            Assert.Contains(r.RelatedSpdxElement, known);
        });
        Assert.Contains(document.Relationships!, r => r == new SpdxRelationship("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image"));
        Assert.StartsWith("SPDXRef-Package-deb-g---12-", ids.Single(i => i.Contains("g--", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.StartsWith("SPDXRef-Package-npm--n-code-pkg-", ids.Single(i => i.Contains("code-pkg", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(2, document.Relationships!.Count(r => r.RelationshipType == "DEPENDS_ON"));

        // Every LicenseRef a package names is declared, and licence expressions use only [A-Za-z0-9.-] ids.
        var declaredRefs = document.HasExtractedLicensingInfos!.Select(l => l.LicenseId).ToHashSet(StringComparer.Ordinal);
        foreach (var package in document.Packages!.Where(p => p.LicenseDeclared is not null))
        {
            foreach (Match reference in LicenseRef().Matches(package.LicenseDeclared!))
            {
                Assert.Contains(reference.Value, declaredRefs);
            }
        }

        Assert.Equal("LGPL-2.1-or-later AND GPL-2.0-only AND LicenseRef-public-domain AND BSD-3-Clause",
            document.Packages!.Single(p => p.Name == "libc6").LicenseDeclared);
        Assert.Equal("MIT OR Apache-2.0", document.Packages!.Single(p => p.Name == "@types/node").LicenseDeclared);
    }

    [Fact]
    public void Build_WithoutADocumentId_GivesAFreshSerialEachTime()
    {
        var options = Options with { DocumentId = null };
        var first = CycloneDxBuilder.Build(SyntheticInventory.Create(), options).SerialNumber;
        var second = CycloneDxBuilder.Build(SyntheticInventory.Create(), options).SerialNumber;
        Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", first);
        Assert.NotEqual(first, second);
        Assert.NotEqual(SpdxBuilder.Build(SyntheticInventory.Create(), options).DocumentNamespace,
            SpdxBuilder.Build(SyntheticInventory.Create(), options).DocumentNamespace);
    }

    private static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(GoldenDirectory, name);
        if (Environment.GetEnvironmentVariable("BULWARK_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(GoldenDirectory);
            File.WriteAllText(path, actual + "\n");
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing (run with BULWARK_UPDATE_GOLDEN=1 to create it)");
        var expected = File.ReadAllText(path).TrimEnd('\n');
        using var parsed = JsonDocument.Parse(actual);
        Assert.Equal(expected, actual);
    }

    [GeneratedRegex("^SPDXRef-[A-Za-z0-9.-]+$")]
    private static partial Regex SpdxIdPattern();

    [GeneratedRegex(@"LicenseRef-[A-Za-z0-9.-]+")]
    private static partial Regex LicenseRef();
}
