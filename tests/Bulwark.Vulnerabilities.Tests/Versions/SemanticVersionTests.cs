using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

public sealed class SemanticVersionTests
{
    public static TheoryData<string> Ecosystems => ["npm", "Go", "crates.io"];

    [Theory]
    [InlineData("1.0.0-alpha", "<", "1.0.0")]
    [InlineData("1.0.0-alpha", "<", "1.0.0-alpha.1")]
    [InlineData("1.0.0-alpha.1", "<", "1.0.0-alpha.beta")]
    [InlineData("1.0.0-beta.2", "<", "1.0.0-beta.11")]
    [InlineData("1.0.0-rc.1", "<", "1.0.0")]
    [InlineData("1.0.0+build.1", "=", "1.0.0+build.2")]
    [InlineData("v1.2.3", "=", "1.2.3")]
    [InlineData("1", "=", "1.0.0")]
    [InlineData("v1.2", "=", "1.2.0")]
    [InlineData("2.0.0+incompatible", "=", "2.0.0")]
    [InlineData("0.0.0-20210101000000-abcdef123456", "<", "0.0.1")]
    [InlineData("0.0.0-20210101000000-abcdef123456", "<", "0.0.0-20210102000000-123456abcdef")]
    [InlineData("1.2.4-0.20210101000000-abcdef123456", ">", "1.2.3")]
    [InlineData("1.2.4-0.20210101000000-abcdef123456", "<", "1.2.4")]
    [InlineData("18446744073709551616.0.0", ">", "18446744073709551615.0.0")]
    [InlineData("1.0.0-18446744073709551616", ">", "1.0.0-9")]
    public void Compare_OrdersBySemVerPrecedence(string a, string op, string b)
    {
        foreach (var ecosystem in new[] { "npm", "Go", "crates.io" })
        {
            ComparerAssert.Holds(ecosystem, a, op, b);
        }
    }

    [Theory]
    [InlineData("01.2.3")]
    [InlineData("1.02.3")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3+")]
    [InlineData("1.2.3-a..b")]
    [InlineData("1.2.3-a_b")]
    [InlineData("1.2-rc.1")]
    [InlineData("1+build")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.")]
    [InlineData(".1.2")]
    [InlineData("a.b.c")]
    [InlineData("V1.2.3")]
    [InlineData("=1.2.3")]
    [InlineData("1.2.3 ")]
    public void Parse_Malformed_IsRejected(string version)
    {
        foreach (var ecosystem in new[] { "npm", "Go", "crates.io" })
        {
            ComparerAssert.Rejects(ecosystem, version, "1.0.0");
        }
    }

    [Fact]
    public void Parse_ExposesTheParts()
    {
        var version = SemanticVersion.Parse("v1.2.3-rc.1+build.007");
        Assert.Equal(("1", "2", "3"), (version.Major, version.Minor, version.Patch));
        Assert.Equal(["rc", "1"], version.Prerelease.ToArray());
        Assert.Equal(["build", "007"], version.Build.ToArray());
        Assert.True(version.IsPrerelease);
    }

    [Fact]
    public void Parse_LeadingZeroInMinor_IsRejectedWithReason()
    {
        Assert.False(SemanticVersion.TryParse("1.02.3", out _, out var failure));
        Assert.Contains("leading zeros", failure, StringComparison.Ordinal);
    }
}
