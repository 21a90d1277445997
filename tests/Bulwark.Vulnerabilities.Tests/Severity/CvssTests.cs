using Bulwark.Vulnerabilities.Osv;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Vulnerabilities.Tests.Severity;

public sealed class CvssTests
{
    // Scores as published by NVD / the FIRST v3.1 examples document.
    [Theory]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8)] // CVE-2014-6271 Shellshock
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5)] // CVE-2014-0160 Heartbleed
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0)] // CVE-2021-44228 Log4Shell
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1)] // the common reflected-XSS vector
    [InlineData("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8)] // CVE-2021-4034 pwnkit
    [InlineData("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9)]
    [InlineData("CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:N/A:N", 5.6)] // CVE-2017-5753 Spectre v1
    [InlineData("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8)]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0)]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O", 9.8)] // temporal metrics do not change the base score
    public void V3_BaseScore(string vector, double score)
    {
        Assert.True(CvssV3.TryScore(vector, out var actual));
        Assert.Equal(score, actual);
    }

    // Scores from the FIRST CVSS v4.0 examples and calculator.
    [Theory]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3)]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0)]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 6.9)]
    [InlineData("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.5)] // CVE-2022-41741
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 2.3)]
    [InlineData("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 1.0)]
    [InlineData("CVSS:4.0/AV:A/AC:H/AT:N/PR:L/UI:P/VC:H/VI:L/VA:N/SC:L/SI:H/SA:N/E:P", 3.9)]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0)]
    public void V4_Score(string vector, double score)
    {
        Assert.True(CvssV4.TryScore(vector, out var actual));
        Assert.Equal(score, actual);
    }

    [Theory]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H")] // missing A
    [InlineData("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")]
    [InlineData("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")]
    [InlineData("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P")]
    [InlineData("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")]
    public void V3_Invalid_IsRejected(string vector) => Assert.False(CvssV3.TryScore(vector, out _));

    [Theory]
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N")] // missing SA
    [InlineData("CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")] // out of order
    [InlineData("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:Q")]
    public void V4_Invalid_IsRejected(string vector) => Assert.False(CvssV4.TryScore(vector, out _));

    [Theory]
    [InlineData(0.0, SeverityRating.None)]
    [InlineData(0.1, SeverityRating.Low)]
    [InlineData(3.9, SeverityRating.Low)]
    [InlineData(4.0, SeverityRating.Medium)]
    [InlineData(6.9, SeverityRating.Medium)]
    [InlineData(7.0, SeverityRating.High)]
    [InlineData(8.9, SeverityRating.High)]
    [InlineData(9.0, SeverityRating.Critical)]
    [InlineData(10.0, SeverityRating.Critical)]
    public void Rating_FromScore(double score, SeverityRating rating) => Assert.Equal(rating, CvssRating.FromScore(score));

    [Fact]
    public void Precedence_GitHubOverCvss_CvssWhenAlone()
    {
        var affected = new OsvAffected { Package = new OsvPackage("PyPI", "a", null) };
        var cvssOnly = new OsvVulnerability { Id = "A", Severity = [new("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")] };
        var withGitHub = cvssOnly with { DatabaseSeverity = "MODERATE" };

        Assert.Equal(new SeverityAssessment(SeverityRating.Critical, SeveritySource.Cvss, 9.8, cvssOnly.Severity[0].Score), SeverityPrecedence.Assess([(cvssOnly, affected)]));
        Assert.Equal(SeverityRating.Medium, SeverityPrecedence.Assess([(withGitHub, affected)]).Rating);
        Assert.Equal(SeverityAssessment.Unrated, SeverityPrecedence.Assess([(new OsvVulnerability { Id = "B" }, affected)]));
    }

    [Theory]
    [InlineData("unimportant", SeverityRating.Low)]
    [InlineData("low**", SeverityRating.Low)]
    [InlineData("medium*", SeverityRating.Medium)]
    [InlineData("high", SeverityRating.High)]
    [InlineData("not yet assigned", SeverityRating.Unknown)]
    [InlineData("Important", SeverityRating.High)]
    public void VendorLabels(string label, SeverityRating rating) => Assert.Equal(rating, SeverityPrecedence.FromVendorLabel(label));
}
