using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Osv;
using Bulwark.Vulnerabilities.Severity;
using static Bulwark.Vulnerabilities.Tests.Matching.OsvRangeEvaluatorTests;

namespace Bulwark.Vulnerabilities.Tests.Matching;

public sealed class AdvisoryMatcherTests
{
    [Fact]
    public void Aliases_MergeAcrossSources_IntoOneFindingWithEveryId()
    {
        var pysec = Advisory("PYSEC-2021-1", "PyPI", "requests", ["CVE-2021-1000", "GHSA-xxxx-yyyy-zzzz"], ("introduced", "0"), ("fixed", "2.20.0"));
        var ghsa = Advisory("GHSA-xxxx-yyyy-zzzz", "PyPI", "requests", ["CVE-2021-1000"], ("introduced", "2.0.0"), ("fixed", "2.19.1")) with { DatabaseSeverity = "HIGH" };
        var other = Advisory("PYSEC-2022-9", "PyPI", "requests", [], ("introduced", "0"), ("fixed", "2.31.0"));

        var result = AdvisoryMatcher.Match(
            new PackageQuery("PyPI", "Requests", "2.18.0"),
            [new("pypa", pysec), new("ghsa", ghsa), new("pypa", other)]);

        Assert.Equal(2, result.Findings.Count);
        var merged = Assert.Single(result.Findings, f => f.Id == "CVE-2021-1000");
        Assert.Equal(["CVE-2021-1000", "GHSA-xxxx-yyyy-zzzz", "PYSEC-2021-1"], merged.Ids);
        Assert.Equal(["pypa/PYSEC-2021-1", "ghsa/GHSA-xxxx-yyyy-zzzz"], merged.Advisories);
        Assert.Equal(["2.19.1", "2.20.0"], merged.FixedVersions);

        // The upgrade must clear both advisories: the higher of their nearest fixes.
        Assert.Equal("upgrade to 2.20.0: pip install 'Requests>=2.20.0'", merged.Remediation);
        Assert.Equal(new SeverityAssessment(SeverityRating.High, SeveritySource.GitHubAdvisory, null, null), merged.Severity);
        Assert.Equal(FixStatus.Fixed, merged.Status);
    }

    [Fact]
    public void Withdrawn_NeverMatches()
    {
        var withdrawn = Advisory("GO-2022-0617", "Go", "k8s.io/kubernetes", [], ("introduced", "0")) with { Withdrawn = DateTimeOffset.UnixEpoch };

        Assert.Empty(AdvisoryMatcher.Match(new PackageQuery("Go", "k8s.io/kubernetes", "v1.20.0"), [new("go", withdrawn)]).Findings);
    }

    [Fact]
    public void OtherPackagesInTheSameAdvisory_DoNotMatch()
    {
        var advisory = Advisory("X-1", "PyPI", "other", [], ("introduced", "0"));

        Assert.Empty(AdvisoryMatcher.Match(new PackageQuery("PyPI", "requests", "1.0"), [new("s", advisory)]).Findings);
    }

    [Theory]
    [InlineData("go1.19.0", "1.19.0")]
    [InlineData("go1.21", "1.21.0")]
    [InlineData("go1.22rc1", "1.22.0-rc.1")]
    [InlineData("go1.20beta2", "1.20.0-beta.2")]
    [InlineData("1.21.3", "1.21.3")]
    public void GoToolchainVersions_BecomeSemVer(string toolchain, string semver) =>
        Assert.Equal(semver, GoToolchainVersion.ToSemVer(toolchain));

    [Fact]
    public void GoStdlib_IsMatchedByToolchainVersion_AndRemediatedByRebuilding()
    {
        var advisory = Advisory("GO-2022-1037", "Go", "stdlib", ["CVE-2022-2879"], ("introduced", "0"), ("fixed", "1.18.7"), ("introduced", "1.19.0-0"), ("fixed", "1.19.2"));

        var finding = Assert.Single(AdvisoryMatcher.Match(new PackageQuery("Go", "stdlib", "go1.19"), [new("go", advisory)]).Findings);
        Assert.Equal("1.19.0", finding.InstalledVersion);
        Assert.Equal("upgrade to 1.19.2: rebuild with Go 1.19.2 or later", finding.Remediation);
        Assert.Empty(AdvisoryMatcher.Match(new PackageQuery("Go", "stdlib", "go1.19.2"), [new("go", advisory)]).Findings);
    }

    [Fact]
    public void GoToolchain_Unparseable_IsReported()
    {
        var result = AdvisoryMatcher.Match(new PackageQuery("Go", "stdlib", "devel +abc"), []);

        Assert.Contains("not a Go toolchain version", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GoModules_DropTheVPrefix_AndRemediateWithGoGet()
    {
        var advisory = Advisory("GO-2024-2916", "Go", "github.com/goharbor/harbor", [], ("introduced", "0"), ("fixed", "2.8.6+incompatible"));

        var finding = Assert.Single(AdvisoryMatcher.Match(new PackageQuery("Go", "github.com/goharbor/harbor", "v2.8.5+incompatible"), [new("go", advisory)]).Findings);
        Assert.Equal("upgrade to 2.8.6+incompatible: go get github.com/goharbor/harbor@v2.8.6+incompatible", finding.Remediation);
    }

    [Fact]
    public void InvalidInstalledVersion_IsReported_NotDropped()
    {
        var advisory = Advisory("X-1", "npm", "lodash", [], ("introduced", "0"), ("fixed", "4.17.21"));

        var result = AdvisoryMatcher.Match(new PackageQuery("npm", "lodash", "latest"), [new("s", advisory)]);

        Assert.Empty(result.Findings);
        Assert.Contains("'latest' is not a valid npm version", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DistroPackages_MatchBySourcePackageAndSourceVersion()
    {
        var advisory = Advisory("CVE-2023-5678", "Debian:12", "openssl", [], ("introduced", "0"), ("fixed", "3.0.13-1~deb12u1")) with
        {
            Affected = [new OsvAffected
            {
                Package = new OsvPackage("Debian:12", "openssl", null),
                Ranges = [Range(OsvRangeType.Ecosystem, ("introduced", "0"), ("fixed", "3.0.13-1~deb12u1"))],
                VendorSeverity = "low*",
            }],
            DatabaseSeverity = "CRITICAL",
        };
        var query = new PackageQuery("Debian:12.5", "libssl3", "3.0.11-1~deb12u2") { SourceName = "openssl" };

        Assert.Equal("openssl", AdvisoryMatcher.LookupKey(query).Name);
        var finding = Assert.Single(AdvisoryMatcher.Match(query, [new("debian", advisory)]).Findings);
        Assert.Equal("upgrade to 3.0.13-1~deb12u1 (source package openssl): apt-get install --only-upgrade libssl3", finding.Remediation);

        // Vendor rating wins over the GitHub one, as in Trivy.
        Assert.Equal(SeverityRating.Low, finding.Severity.Rating);
        Assert.Equal(SeveritySource.Vendor, finding.Severity.Source);
    }

    [Fact]
    public void DistroPackages_OfAnotherRelease_DoNotMatch()
    {
        var advisory = Advisory("CVE-1", "Debian:11", "openssl", [], ("introduced", "0"));

        Assert.Empty(AdvisoryMatcher.Match(new PackageQuery("Debian:12", "openssl", "3.0.11-1"), [new("debian", advisory)]).Findings);
    }

    [Theory]
    [InlineData(DistroStatus.WillNotFix, FixStatus.WillNotFix, "no fix available (the distribution will not fix it in this release)")]
    [InlineData(DistroStatus.Affected, FixStatus.Affected, "no fix available")]
    [InlineData(DistroStatus.FixDeferred, FixStatus.FixDeferred, "no fix available (the distribution postponed the fix)")]
    public void DistroStatus_WithoutFix_IsReported(DistroStatus distro, FixStatus status, string remediation)
    {
        var advisory = new OsvVulnerability
        {
            Id = "CVE-2",
            Affected = [new OsvAffected
            {
                Package = new OsvPackage("Debian:12", "glibc", null),
                Ranges = [Range(OsvRangeType.Ecosystem, ("introduced", "0"))],
                Status = distro,
            }],
        };

        var finding = Assert.Single(AdvisoryMatcher.Match(new PackageQuery("Debian:12", "libc6", "2.36-9") { SourceName = "glibc" }, [new("debian", advisory)]).Findings);
        Assert.Equal(status, finding.Status);
        Assert.Empty(finding.FixedVersions);
        Assert.Equal(remediation, finding.Remediation);
    }

    [Theory]
    [InlineData("PyPI", "Foo.Bar_baz", "foo-bar-baz")]
    [InlineData("PyPI", "zope.interface", "zope-interface")]
    [InlineData("NuGet", "Newtonsoft.Json", "newtonsoft.json")]
    [InlineData("Maven", "org.apache.logging.log4j:log4j-core", "org.apache.logging.log4j:log4j-core")]
    [InlineData("Maven", "org.apache.logging.log4j/log4j-core", "org.apache.logging.log4j:log4j-core")]
    [InlineData("npm", "@babel/core", "@babel/core")]
    [InlineData("Go", "github.com/BurntSushi/toml", "github.com/BurntSushi/toml")]
    [InlineData("Packagist", "Symfony/HTTP-Kernel", "symfony/http-kernel")]
    [InlineData("crates.io", "smallvec", "smallvec")]
    public void Names_AreNormalizedPerEcosystem(string ecosystem, string name, string normalized) =>
        Assert.Equal(normalized, PackageNames.Normalize(ecosystem, name));

    [Theory]
    [InlineData("Debian:12", "Debian", "12")]
    [InlineData("Debian:bookworm", "Debian", "12")]
    [InlineData("Debian:12.5", "Debian", "12")]
    [InlineData("Alpine:v3.19", "Alpine", "v3.19")]
    [InlineData("Alpine:3.19.1", "Alpine", "v3.19")]
    [InlineData("Ubuntu:22.04:LTS", "Ubuntu", "22.04")]
    [InlineData("PyPI", "PyPI", "")]
    public void Ecosystems_SplitIntoNameAndRelease(string text, string name, string release) =>
        Assert.Equal(new EcosystemName(name, release), EcosystemName.Parse(text));

    [Theory]
    [InlineData("npm", "lodash", "4.17.21", "upgrade to 4.17.21: npm install lodash@4.17.21")]
    [InlineData("crates.io", "smallvec", "0.6.10", "upgrade to 0.6.10: cargo update -p smallvec --precise 0.6.10")]
    [InlineData("NuGet", "Newtonsoft.Json", "13.0.1", "upgrade to 13.0.1: dotnet add package Newtonsoft.Json --version 13.0.1")]
    [InlineData("Alpine:v3.19", "busybox", "1.36.1-r16", "upgrade to 1.36.1-r16: apk upgrade busybox")]
    [InlineData("Maven", "org.example:lib", "2.0", "upgrade to 2.0: set org.example:lib to version 2.0 in pom.xml or build.gradle")]
    public void Remediation_SpeaksThePackageManager(string ecosystem, string name, string fix, string expected) =>
        Assert.Equal(expected, Remediation.For(new PackageQuery(ecosystem, name, "0"), FixStatus.Fixed, fix));

    private static OsvVulnerability Advisory(string id, string ecosystem, string name, string[] aliases, params (string, string)[] events) =>
        new()
        {
            Id = id,
            Aliases = aliases,
            Affected = [new OsvAffected
            {
                Package = new OsvPackage(ecosystem, name, null),
                Ranges = [Range(ecosystem is "Go" or "npm" or "crates.io" ? OsvRangeType.Semver : OsvRangeType.Ecosystem, events)],
            }],
        };
}
