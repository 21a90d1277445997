using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

public sealed class ApkVersionTests
{
    [Theory]
    [InlineData("1.0_alpha1", "<", "1.0_beta1")]
    [InlineData("1.0_beta1", "<", "1.0_pre1")]
    [InlineData("1.0_pre1", "<", "1.0_rc1")]
    [InlineData("1.0_rc1", "<", "1.0")]
    [InlineData("1.0", "<", "1.0_cvs1")]
    [InlineData("1.0_hg1", "<", "1.0_p1")]
    [InlineData("1.0", "<", "1.0a")]
    [InlineData("1.0a", "<", "1.0b")]
    [InlineData("1.0-r1", "<", "1.0-r2")]
    [InlineData("1.0-r9", "<", "1.0-r10")]
    [InlineData("1.0", "=", "1.0-r0")]
    [InlineData("1", "<", "1.0")]
    [InlineData("1.0-r5", "<", "1.0.0")]
    [InlineData("1.0_p1", "<", "1.0.0")]
    [InlineData("1.0~abc123-r1", "=", "1.0~def456-r1")]
    [InlineData("1.2.01", "<", "1.2.1")]
    [InlineData("1.2.10", ">", "1.2.9")]
    [InlineData("1.0_p1_rc1", "<", "1.0_p1")]
    [InlineData("1.0-r1", ">", "1.0_bogus")]
    [InlineData("1.9.5p9-r1", "<", "1.9.5p10-r1")]
    [InlineData("1.0a", "<", "1.0a1")]
    [InlineData("1.0a1", ">", "1.0a_rc1")]
    [InlineData("1.0b", ">", "1.0a9")]
    public void Compare_OrdersAsApk(string a, string op, string b) => ComparerAssert.Holds("Alpine", a, op, b);

    [Theory]
    [InlineData("")]
    [InlineData("1.0 -r1")]
    [InlineData("1.0\t")]
    [InlineData("1.0ä")]
    public void Parse_Malformed_IsRejected(string version) => ComparerAssert.Rejects("Alpine", version, "1.0");

    [Theory]
    [InlineData("1.2.3", true)]
    [InlineData("1.2.3b_rc1_p2~0af3-r10", true)]
    [InlineData("1.2_blah", false)]
    [InlineData("a", false)]
    [InlineData("1-ruff", false)]
    [InlineData("6.6.2p1-r3", true)]
    public void IsWellFormed_FollowsTheApkGrammar(string version, bool expected) =>
        Assert.Equal(expected, ApkVersion.Parse(version).IsWellFormed);

    [Fact]
    public void Parse_KeepsTheCommitHash() => Assert.Equal("0af3", ApkVersion.Parse("1.0~0af3-r1").CommitHash);
}
