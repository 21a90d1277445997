using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

public sealed class GemVersionTests
{
    [Theory]
    [InlineData("1.0.0.pre", "<", "1.0.0")]
    [InlineData("1.0.0.rc1", "<", "1.0.0")]
    [InlineData("1.0.0.beta", "<", "1.0.0.rc")]
    [InlineData("1.0-rc1", "=", "1.0.pre.rc1")]
    [InlineData("1.0.0", "=", "1")]
    [InlineData("1.0.a.0", "=", "1.0.a")]
    [InlineData("1.10", ">", "1.9")]
    [InlineData("1.0.B", "<", "1.0.a")]
    public void Compare_OrdersAsGemVersion(string a, string op, string b) => ComparerAssert.Holds("RubyGems", a, op, b);

    [Theory]
    [InlineData("a1.0")]
    [InlineData("1..0")]
    [InlineData("1.0.")]
    [InlineData("1.0-")]
    [InlineData("1.0_beta")]
    [InlineData(".1")]
    public void Parse_Malformed_IsRejected(string version) => ComparerAssert.Rejects("RubyGems", version, "1.0");

    [Theory]
    [InlineData("1.0.0", false)]
    [InlineData("1.0.0.pre", true)]
    [InlineData("1.0-1", true)]
    public void IsPrerelease_MeansAnyLetterSegment(string version, bool expected) =>
        Assert.Equal(expected, GemVersion.Parse(version).IsPrerelease);
}
