using System.Text;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Tests.Osv;

public sealed class OsvParserTests
{
    private const string Full = """
        {
          "schema_version": "1.6.0",
          "id": "GHSA-aaaa-bbbb-cccc",
          "modified": "2024-01-02T03:04:05.123Z",
          "published": "2023-12-01T00:00:00Z",
          "aliases": ["CVE-2024-0001", "PYSEC-2024-1"],
          "related": ["CVE-2024-0002"],
          "summary": "Example",
          "details": "Long text",
          "unknown_top_level": {"anything": [1, 2, 3]},
          "severity": [
            {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
            {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}
          ],
          "affected": [
            {
              "package": {"ecosystem": "PyPI", "name": "Example_Pkg", "purl": "pkg:pypi/example-pkg"},
              "ranges": [
                {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}], "database_specific": {"x": 1}},
                {"type": "GIT", "repo": "https://example.com/repo", "events": [{"introduced": "abc"}, {"limit": "def"}]}
              ],
              "versions": ["1.0", "1.1"],
              "ecosystem_specific": {"affected_functions": ["x.y"]},
              "database_specific": {"source": "z"}
            },
            {
              "package": {"ecosystem": "Debian:12", "name": "openssl"},
              "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "3.0.11-1~deb12u1"}]}],
              "ecosystem_specific": {"urgency": "medium*"}
            }
          ],
          "database_specific": {"severity": "HIGH", "cwe_ids": ["CWE-79"]}
        }
        """;

    [Fact]
    public void Parse_FullRecord_ReadsEveryModelledField()
    {
        var advisory = OsvParser.Parse(Encoding.UTF8.GetBytes(Full));

        Assert.Equal("GHSA-aaaa-bbbb-cccc", advisory.Id);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 123, TimeSpan.Zero), advisory.Modified);
        Assert.Equal(["CVE-2024-0001", "PYSEC-2024-1"], advisory.Aliases);
        Assert.Equal(["CVE-2024-0002"], advisory.Related);
        Assert.Null(advisory.Withdrawn);
        Assert.Equal("HIGH", advisory.DatabaseSeverity);
        Assert.Equal(2, advisory.Severity.Count);
        Assert.Equal(2, advisory.Affected.Count);
        var pypi = advisory.Affected[0];
        Assert.Equal(new OsvPackage("PyPI", "Example_Pkg", "pkg:pypi/example-pkg"), pypi.Package);
        Assert.Equal(OsvRangeType.Git, pypi.Ranges[1].Type);
        Assert.Equal(new OsvEvent(OsvEventKind.Fixed, "1.2.3"), pypi.Ranges[0].Events[1]);
        Assert.Equal(["1.0", "1.1"], pypi.Versions);
        Assert.Equal("medium*", advisory.Affected[1].VendorSeverity);
        Assert.Equal(OsvEventKind.LastAffected, advisory.Affected[1].Ranges[0].Events[1].Kind);
    }

    [Fact]
    public void Write_ThenParse_RoundTrips()
    {
        var advisory = OsvParser.Parse(Encoding.UTF8.GetBytes(Full));
        var again = OsvParser.Parse(OsvWriter.Write(advisory));

        Assert.Equal(advisory.Id, again.Id);
        Assert.Equal(advisory.Modified, again.Modified);
        Assert.Equal(advisory.Aliases, again.Aliases);
        Assert.Equal(advisory.Severity, again.Severity);
        Assert.Equal(advisory.DatabaseSeverity, again.DatabaseSeverity);
        Assert.Equal(advisory.Affected.Count, again.Affected.Count);
        Assert.Equal(advisory.Affected[0].Ranges[0].Events, again.Affected[0].Ranges[0].Events);
        Assert.Equal(advisory.Affected[1].VendorSeverity, again.Affected[1].VendorSeverity);
    }

    [Fact]
    public void Parse_GoZeroTime_IsUnknown()
    {
        var advisory = Parse("""{"id":"GO-1","modified":"0001-01-01T00:00:00Z","published":"2021-04-14T20:04:52Z"}""");

        Assert.Null(advisory.Modified);
        Assert.Equal(2021, advisory.Published!.Value.Year);
    }

    [Fact]
    public void Parse_Withdrawn_IsRead()
    {
        Assert.NotNull(Parse("""{"id":"X-1","withdrawn":"2024-08-21T16:25:56Z"}""").Withdrawn);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"summary":"no id"}""", "'id' is required")]
    [InlineData("""{"id":5}""", "'id' must be a string")]
    [InlineData("""{"id":"X","aliases":"CVE-1"}""", "'aliases' must be an array")]
    [InlineData("""{"id":"X","affected":[{"ranges":[]}]}""", "without a package")]
    [InlineData("""{"id":"X","affected":[{"package":{"ecosystem":"PyPI"}}]}""", "'name' is required")]
    [InlineData("""{"id":"X","affected":[{"package":{"ecosystem":"PyPI","name":"a"},"ranges":[{"type":"RANGE","events":[{"introduced":"0"}]}]}]}""", "unknown range type")]
    [InlineData("""{"id":"X","affected":[{"package":{"ecosystem":"PyPI","name":"a"},"ranges":[{"type":"ECOSYSTEM","events":[]}]}]}""", "at least one event")]
    [InlineData("""{"id":"X","affected":[{"package":{"ecosystem":"PyPI","name":"a"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0","fixed":"1"}]}]}]}""", "exactly one")]
    [InlineData("""{"id":"X","affected":[{"package":{"ecosystem":"PyPI","name":"a"},"ranges":[{"type":"ECOSYSTEM","events":[{"other":"0"}]}]}]}""", "must have one of")]
    [InlineData("""{"id":"X","modified":"yesterday"}""", "RFC 3339")]
    public void Parse_Invalid_ThrowsWithReason(string json, string reason)
    {
        var e = Assert.Throws<OsvFormatException>(() => Parse(json));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverLimits_Throws()
    {
        var events = string.Join(",", Enumerable.Range(0, 11).Select(i => $$"""{"introduced":"{{i}}"}"""));
        var json = $$"""{"id":"X","affected":[{"package":{"ecosystem":"PyPI","name":"a"},"ranges":[{"type":"ECOSYSTEM","events":[{{events}}]}]}]}""";
        var limits = new OsvLimits { MaxEventsPerRange = 10 };

        Assert.Contains("over the limit of 10", Assert.Throws<OsvFormatException>(() => OsvParser.Parse(Encoding.UTF8.GetBytes(json), limits)).Message, StringComparison.Ordinal);
        Assert.Throws<OsvFormatException>(() => OsvParser.Parse(Encoding.UTF8.GetBytes(json), new OsvLimits { MaxDocumentBytes = 100 }));
    }

    [Fact]
    public void Parse_DeepNesting_IsRefused()
    {
        var json = """{"id":"X","details_extra":""" + new string('[', 200) + new string(']', 200) + "}";

        Assert.Throws<OsvFormatException>(() => Parse(json));
    }

    private static OsvVulnerability Parse(string json) => OsvParser.Parse(Encoding.UTF8.GetBytes(json));
}
