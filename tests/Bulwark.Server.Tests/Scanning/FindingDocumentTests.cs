using System.Text.Json;
using Bulwark.Server.Scanning;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Osv;
using Bulwark.Vulnerabilities.Scanning;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Server.Tests.Scanning;

/// <summary>
/// A stored finding document is written with its <see cref="Finding"/> part serialized once and reused: the bytes must be
/// those of serializing the whole <see cref="ScanFinding"/>, whatever the text holds and however often the part is reused.
/// </summary>
public sealed class FindingDocumentTests
{
    [Fact]
    public void Document_IsTheWholeFindingSerialized_ForEveryPackageSharingTheFinding()
    {
        var findings = new[] { Finding("CVE-2099-0001", null, []), Finding("GHSA-<x&y>", "Ünïcode \"quoted\" <script> + \u2028 \ud83d\ude00", [79, 20]) };
        var packages = new[]
        {
            Package("requests", "2.0.0", null, null),
            Package("libc6", "2.36-9+deb12u1", layerIndex: 0, inBaseImage: true),
            Package("naïve-päckage", "1.0+local", layerIndex: 3, inBaseImage: false),
        };

        foreach (var finding in findings)
        {
            foreach (var package in packages)
            {
                foreach (var remediation in new[] { "upgrade to 2.0.1", "rebuild on a newer base image (the distribution has the fix: \"apt\")" })
                {
                    var whole = new ScanFinding(package, finding, remediation);
                    var expected = JsonSerializer.Serialize(whole, ScanJsonContext.Default.ScanFinding);
                    Assert.Equal(expected, FindingDocument.Write(whole));
                    Assert.Equal(expected, FindingDocument.Write(whole));
                }
            }
        }
    }

    [Fact]
    public void EqualFindings_AreNotConfused()
    {
        // Records with equal values but different objects, and a finding changed by `with`: each document is its own.
        var a = Finding("CVE-2099-0002", "one", []);
        var b = a with { Summary = "two" };
        var package = Package("p", "1", null, null);
        Assert.Contains("\"one\"", FindingDocument.Write(new ScanFinding(package, a, "r")), StringComparison.Ordinal);
        Assert.Contains("\"two\"", FindingDocument.Write(new ScanFinding(package, b, "r")), StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(new ScanFinding(package, a with { }, "r"), ScanJsonContext.Default.ScanFinding),
            FindingDocument.Write(new ScanFinding(package, a with { }, "r")));
    }

    [Fact]
    public void LargeDocument_IsWhole()
    {
        var references = Enumerable.Range(0, 5000).Select(i => new OsvReference("WEB", $"https://example.test/{i}/{new string('x', 50)}")).ToList();
        var whole = new ScanFinding(Package("big", "1", null, null), Finding("CVE-2099-0003", "big", []) with { References = references }, "r");
        Assert.Equal(JsonSerializer.Serialize(whole, ScanJsonContext.Default.ScanFinding), FindingDocument.Write(whole));
        var small = new ScanFinding(Package("small", "1", null, null), Finding("CVE-2099-0004", null, []), "r");
        Assert.Equal(JsonSerializer.Serialize(small, ScanJsonContext.Default.ScanFinding), FindingDocument.Write(small));
    }

    [Fact]
    public void ScannedFinding_OfAScanFinding_HasItsDocument_AndEqualsTheOneMadeFromTheString()
    {
        var whole = new ScanFinding(Package("requests", "2.0.0", 1, false), Finding("CVE-2099-0005", "s", [1]), "upgrade");
        var document = JsonSerializer.Serialize(whole, ScanJsonContext.Default.ScanFinding);
        var lazy = new ScannedFinding(whole);
        var eager = new ScannedFinding("CVE-2099-0005", "pypi", "requests", "2.0.0", SeverityRating.High, document);

        Assert.Equal(eager, lazy);
        Assert.Equal(eager.GetHashCode(), lazy.GetHashCode());
        Assert.Equal(eager.Key, lazy.Key);
        Assert.Equal(document, lazy.Document);
        Assert.NotEqual(eager, new ScannedFinding(whole with { Remediation = "other" }));
    }

    [Theory]
    [InlineData("CVE-2099-0006", "pypi", "requests", "2.0.0")]
    [InlineData("GHSA-xxxx", "golang", "example.test/m\u00fcnchen/\ud83d\ude00", "v1.2.3+incompatible")]
    [InlineData("", "", "", "")]
    public void Key_IsTheSha256OfTheFieldsJoinedByNewLines(string id, string type, string name, string version)
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', id, type, name, version))));
        Assert.Equal(expected, new ScannedFinding(id, type, name, version, SeverityRating.Low, "{}").Key);
    }

    private static Finding Finding(string id, string? summary, int[] cwes) => new()
    {
        Package = new PackageQuery("PyPI", "requests", "2.0.0") { Purl = "pkg:pypi/requests@2.0.0" },
        Id = id,
        Ids = [id, "PYSEC-2099-1"],
        Advisories = ["osv:PyPI/" + id],
        Summary = summary,
        InstalledVersion = "2.0.0",
        FixedVersions = ["2.0.1", "3.0"],
        Status = FixStatus.Fixed,
        Severity = new SeverityAssessment(SeverityRating.High, SeveritySource.GitHubAdvisory, 7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),
        Remediation = "upgrade requests to 2.0.1",
        Published = new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Modified = null,
        Cwes = cwes,
        References = [new OsvReference("ADVISORY", "https://example.test/advisory?a=1&b=<2>")],
    };

    private static ScannedPackage Package(string name, string version, int? layerIndex, bool? inBaseImage) => new()
    {
        Name = name,
        Version = version,
        Type = "pypi",
        Purl = $"pkg:pypi/{name}@{version}",
        Ecosystem = "PyPI",
        SourceName = null,
        SourceVersion = null,
        FoundIn = "/usr/lib/python3/dist-packages/" + name,
        LayerIndex = layerIndex,
        LayerDigest = layerIndex is null ? null : "sha256:" + new string('a', 64),
        LayerDiffId = layerIndex is null ? null : "sha256:" + new string('b', 64),
        InBaseImage = inBaseImage,
    };
}
