using Bulwark.Vulnerabilities.Matching;
using Xunit.Abstractions;

namespace Bulwark.Vulnerabilities.Tests.Import;

/// <summary>The shared golang/vulndb, RustSec and PyPA archives, imported and matched against real vulnerable versions.</summary>
public sealed class RealOsvDataTests(SharedOsvDatabase shared, ITestOutputHelper output) : IClassFixture<SharedOsvDatabase>
{
    [Fact]
    public void Import_AllThreeArchives_StoresEveryAdvisory()
    {
        foreach (var (ecosystem, result) in shared.Results)
        {
            output.WriteLine($"{ecosystem}: {result.Advisories} advisories, {result.Packages} packages, {result.Rejected} rejected in {result.Elapsed.TotalMilliseconds:F0} ms");
        }

        output.WriteLine($"total import time: {shared.Total.TotalMilliseconds:F0} ms");
        Assert.Equal(4291, shared.Results["Go"].Advisories);
        Assert.Equal(1206, shared.Results["crates.io"].Advisories);
        Assert.Equal(2661, shared.Results["PyPI"].Advisories);
        Assert.All(shared.Results.Values, r => Assert.Equal(0, r.Rejected));
    }

    [Fact]
    public async Task Sources_RecordCountsAndTime()
    {
        var sources = await shared.Database.Store.GetSourcesAsync(CancellationToken.None);

        Assert.Equal(["osv:Go", "osv:PyPI", "osv:crates.io"], sources.Select(s => s.Name));
        Assert.All(sources, s => Assert.True(s.ImportedAt > DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.Equal(4291, sources.Single(s => s.Name == "osv:Go").AdvisoryCount);
    }

    [Fact]
    public async Task GoStdlib_1_19_0_HasTheKnownVulnDbAdvisories()
    {
        var result = await Matcher.MatchAsync([new PackageQuery("Go", "stdlib", "go1.19.0")], CancellationToken.None);

        Assert.Empty(result.Problems);

        // 97 golang/vulndb advisories cover stdlib 1.19.0 (counted independently from the archive).
        Assert.Equal(97, result.Findings.SelectMany(f => f.Advisories).Distinct().Count());
        var finding = Assert.Single(result.Findings, f => f.Ids.Contains("GO-2022-1037"));
        Assert.Equal("CVE-2022-2879", finding.Id);
        Assert.Equal(["1.19.2"], finding.FixedVersions);
        Assert.Equal("upgrade to 1.19.2: rebuild with Go 1.19.2 or later", finding.Remediation);
        Assert.DoesNotContain((await Matcher.MatchAsync([new PackageQuery("Go", "stdlib", "go1.19.2")], CancellationToken.None)).Findings,
            f => f.Ids.Contains("GO-2022-1037"));
    }

    [Fact]
    public async Task PyPI_Jinja2_2_10_HasPysecFindings_ByNormalizedName()
    {
        var result = await Matcher.MatchAsync([new PackageQuery("PyPI", "Jinja2", "2.10")], CancellationToken.None);

        var sandbox = Assert.Single(result.Findings, f => f.Id == "CVE-2019-10906");
        Assert.Equal(["CVE-2019-10906", "GHSA-462w-v97r-4m45", "PYSEC-2019-217"], sandbox.Ids);
        Assert.Equal("upgrade to 2.10.1: pip install 'Jinja2>=2.10.1'", sandbox.Remediation);
        Assert.Contains(result.Findings, f => f.Id == "CVE-2020-28493");
        Assert.DoesNotContain((await Matcher.MatchAsync([new PackageQuery("PyPI", "jinja2", "2.11.3")], CancellationToken.None)).Findings,
            f => f.Id is "CVE-2019-10906" or "CVE-2020-28493");
    }

    [Fact]
    public async Task Crates_Smallvec_0_6_9_HasRustSecFindings()
    {
        var result = await Matcher.MatchAsync([new PackageQuery("crates.io", "smallvec", "0.6.9")], CancellationToken.None);

        var ids = result.Findings.SelectMany(f => f.Ids).ToHashSet();
        Assert.Contains("RUSTSEC-2019-0009", ids);
        Assert.Contains("RUSTSEC-2021-0003", ids);
        Assert.Equal("upgrade to 0.6.10: cargo update -p smallvec --precise 0.6.10",
            Assert.Single(result.Findings, f => f.Ids.Contains("RUSTSEC-2019-0009")).Remediation);
        Assert.DoesNotContain((await Matcher.MatchAsync([new PackageQuery("crates.io", "smallvec", "1.6.1")], CancellationToken.None)).Findings,
            f => f.Ids.Contains("RUSTSEC-2021-0003"));
    }

    [Fact]
    public async Task Withdrawn_GO_2022_0617_IsNotReported()
    {
        var stored = await shared.Database.Store.FindByIdAsync("GO-2022-0617", CancellationToken.None);
        Assert.NotNull(Assert.Single(stored).Advisory.Withdrawn);

        var result = await Matcher.MatchAsync([new PackageQuery("Go", "k8s.io/kubernetes", "v1.20.0")], CancellationToken.None);
        Assert.DoesNotContain(result.Findings, f => f.Ids.Contains("GO-2022-0617"));
    }

    [Fact]
    public async Task FindById_ByAlias_FindsTheAdvisory()
    {
        var stored = await shared.Database.Store.FindByIdAsync("CVE-2022-2879", CancellationToken.None);

        Assert.Contains(stored, s => s.Advisory.Id == "GO-2022-1037");
    }

    private AdvisoryMatcher Matcher => new(shared.Database.Store);
}
