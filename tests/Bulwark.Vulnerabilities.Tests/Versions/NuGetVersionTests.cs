using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

public sealed class NuGetVersionTests
{
    [Theory]
    [InlineData("1.0.0-beta", "=", "1.0.0-BETA")]
    [InlineData("1.0.0-alpha", "<", "1.0.0-Beta")]
    [InlineData("1.0.0-beta.2", "<", "1.0.0-beta.10")]
    [InlineData("1.0.0-1", "<", "1.0.0-a")]
    [InlineData("1.0.0-beta", "<", "1.0.0")]
    [InlineData("1.0.0.1", ">", "1.0.0")]
    [InlineData("1.0.0.1-beta", ">", "1.0.0")]
    [InlineData("1", "=", "1.0.0.0")]
    [InlineData("1.0.0+git.abc", "=", "1.0.0")]
    [InlineData("1.01.0", "=", "1.1.0")]
    public void Compare_OrdersAsNuGet(string a, string op, string b) => ComparerAssert.Holds("NuGet", a, op, b);

    [Theory]
    [InlineData("1.0.0.0.0")]
    [InlineData("1.0.0-")]
    [InlineData("1.0.0+")]
    [InlineData("1..0")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0-be_ta")]
    [InlineData("1.0.0-beta..1")]
    [InlineData("1.0.x")]
    public void Parse_Malformed_IsRejected(string version) => ComparerAssert.Rejects("NuGet", version, "1.0.0");

    [Fact]
    public void Parse_PadsToFourParts()
    {
        var version = NuGetVersion.Parse("1.2-rc.1+sha.5");
        Assert.Equal(["1", "2", "0", "0"], version.Numbers.ToArray());
        Assert.Equal(["rc", "1"], version.ReleaseLabels.ToArray());
        Assert.Equal("sha.5", version.Metadata);
    }
}
