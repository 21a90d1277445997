using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

public sealed class DpkgVersionTests
{
    [Theory]
    [InlineData("1.0~rc1", "<", "1.0")]
    [InlineData("1.0~~", "<", "1.0~")]
    [InlineData("1.0", "<", "1.0+b1")]
    [InlineData("1.0", "<", "1.0a")]
    [InlineData("1.0a", "<", "1.0+")]
    [InlineData("1:0.1", ">", "9.9")]
    [InlineData("0:1.0", "=", "1.0")]
    [InlineData("1.0", "=", "1.00")]
    [InlineData("1.0-1", "<", "1.0-1.1")]
    [InlineData("1.0-1", "=", "1.0-01")]
    [InlineData("1.0-1~bpo1", "<", "1.0-1")]
    [InlineData("1.2-3-4", ">", "1.2-3")]
    [InlineData("2:1.0", "<", "10:0.1")]
    [InlineData("1.0-" + "99999999999999999999999999999998", "<", "1.0-" + "99999999999999999999999999999999")]
    public void Compare_OrdersAsDpkg(string a, string op, string b) => ComparerAssert.Holds("Debian", a, op, b);

    [Theory]
    [InlineData("")]
    [InlineData("a1.0")]
    [InlineData("1:")]
    [InlineData(":1.0")]
    [InlineData("x:1.0")]
    [InlineData("-1:1.0")]
    [InlineData("2147483648:1.0")]
    [InlineData("1.0-")]
    [InlineData("1.0 1")]
    [InlineData("1.0_1")]
    [InlineData("1.0-1_2")]
    [InlineData("1.0-1:2")]
    [InlineData("1.0é")]
    public void Parse_Malformed_IsRejected(string version) => ComparerAssert.Rejects("Debian", version, "1.0");

    [Fact]
    public void Parse_SplitsEpochUpstreamAndRevision()
    {
        var version = DpkgVersion.Parse("02:1.2-3-4ubuntu1");
        Assert.Equal("2", version.Epoch);
        Assert.Equal("1.2-3", version.Upstream);
        Assert.Equal("4ubuntu1", version.Revision);
        Assert.Equal("2:1.2-3-4ubuntu1", version.ToString());
    }

    [Fact]
    public void Parse_LargestEpoch_IsAccepted() => Assert.Equal("2147483647", DpkgVersion.Parse("2147483647:1").Epoch);
}
