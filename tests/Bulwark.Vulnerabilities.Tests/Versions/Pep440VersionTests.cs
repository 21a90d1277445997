using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

public sealed class Pep440VersionTests
{
    [Theory]
    [InlineData("1.0.dev0", "<", "1.0a0")]
    [InlineData("1.0a0", "<", "1.0b0")]
    [InlineData("1.0b0", "<", "1.0rc0")]
    [InlineData("1.0rc0", "<", "1.0")]
    [InlineData("1.0", "<", "1.0.post0")]
    [InlineData("1.0.post0.dev0", "<", "1.0.post0")]
    [InlineData("1.0a1.dev0", "<", "1.0a1")]
    [InlineData("1.0a1.post1", ">", "1.0a1")]
    [InlineData("1.0", "<", "1.0+local")]
    [InlineData("1.0+abc", "<", "1.0+1")]
    [InlineData("1.0+1.abc", "<", "1.0+1.abc.1")]
    [InlineData("1!0.1", ">", "2.0")]
    [InlineData("1.0", "=", "1.0.0")]
    [InlineData("1.0-ALPHA1", "=", "1.0a1")]
    [InlineData("1.0.c1", "=", "1.0rc1")]
    [InlineData("1.0-pre.1", "=", "1.0rc1")]
    [InlineData("1.0-1", "=", "1.0.post1")]
    [InlineData("1.0.rev", "=", "1.0.post0")]
    [InlineData("1.0-dev", "=", "1.0.dev0")]
    [InlineData("v2.0", "=", "2.0")]
    [InlineData("1.0+ubuntu-1", "=", "1.0+ubuntu.1")]
    [InlineData("1.0+ABC", "=", "1.0+abc")]
    [InlineData("0.0.dev0", ">", "whatever-legacy")]
    [InlineData("1.0-legacy.1", "<", "1.0-legacy.2")]
    public void Compare_OrdersByPep440(string a, string op, string b) => ComparerAssert.Holds("PyPI", a, op, b);

    [Theory]
    [InlineData("")]
    [InlineData("1.0 ")]
    [InlineData("1.0\u00e9")]
    public void Parse_Malformed_IsRejected(string version) => ComparerAssert.Rejects("PyPI", version, "1.0");

    [Theory]
    [InlineData("1.0", false)]
    [InlineData("1.0a1.post2.dev3+local.7", false)]
    [InlineData("1.0.", true)]
    [InlineData("1.0+", true)]
    [InlineData("1.0+a..b", true)]
    [InlineData("0.9-doduo", true)]
    public void IsLegacy_ReportsStringsOutsidePep440(string version, bool legacy) =>
        Assert.Equal(legacy, Pep440Version.Parse(version).IsLegacy);

    [Fact]
    public void ToString_IsTheNormalisedForm() =>
        Assert.Equal("1!1.0rc2.post3.dev4+ubuntu.1", Pep440Version.Parse("1!1.0-PREVIEW2-3.dev4+ubuntu-1").ToString());
}
