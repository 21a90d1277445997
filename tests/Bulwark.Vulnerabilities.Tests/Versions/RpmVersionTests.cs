using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

public sealed class RpmVersionTests
{
    [Theory]
    [InlineData("1:1.0-1.el8", ">", "2.0-1.el8")]
    [InlineData("0:1.0-1", "=", "1.0-1")]
    [InlineData("1.0-1.el8", "<", "1.0-2.el8")]
    [InlineData("1.0-1.el8_1", ">", "1.0-1.el8")]
    [InlineData("1.0~rc1-1", "<", "1.0-1")]
    [InlineData("1.0^git1-1", ">", "1.0-1")]
    [InlineData("1.10", ">", "1.9")]
    [InlineData("1.0a", ">", "1.0")]
    [InlineData("1.0", ">", "1.a")]
    [InlineData("1.001", "=", "1.1")]
    [InlineData("2.0.1", "=", "2_0_1")]
    public void Compare_OrdersAsRpm(string a, string op, string b) => ComparerAssert.Holds("Red Hat", a, op, b);

    [Theory]
    [InlineData("")]
    [InlineData("1.0 -1")]
    [InlineData("1.0\n")]
    public void Parse_Malformed_IsRejected(string version) => ComparerAssert.Rejects("Rocky Linux", version, "1.0");

    [Fact]
    public void Parse_SplitsEpochVersionAndRelease()
    {
        var version = RpmVersion.Parse("3:4.18.0-305.el8");
        Assert.Equal("3", version.Epoch);
        Assert.Equal("4.18.0", version.Version);
        Assert.Equal("305.el8", version.Release);
    }

    [Fact]
    public void Parse_NonNumericPrefix_IsNotAnEpoch()
    {
        var version = RpmVersion.Parse("a:1");
        Assert.Equal("0", version.Epoch);
        Assert.Equal("a:1", version.Version);
        Assert.Null(version.Release);
    }
}
