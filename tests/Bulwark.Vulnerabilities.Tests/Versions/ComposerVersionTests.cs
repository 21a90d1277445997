namespace Bulwark.Vulnerabilities.Tests.Versions;

public sealed class ComposerVersionTests
{
    [Theory]
    [InlineData("1.0.0-dev", "<", "1.0.0-alpha1")]
    [InlineData("1.0.0-alpha1", "<", "1.0.0-beta1")]
    [InlineData("1.0.0-beta1", "<", "1.0.0-RC1")]
    [InlineData("1.0.0-RC1", "<", "1.0.0")]
    [InlineData("1.0.0", "<", "1.0.0-patch1")]
    [InlineData("1.0.0", "<", "1.0.0.1")]
    [InlineData("1.0.0-foo", "<", "1.0.0-dev")]
    [InlineData("v2.0", "=", "2.0")]
    [InlineData("2.0_1", "=", "2.0.1")]
    public void Compare_OrdersAsVersionCompare(string a, string op, string b) => ComparerAssert.Holds("Packagist", a, op, b);

    [Theory]
    [InlineData("")]
    [InlineData("...")]
    [InlineData("1.0 RC1")]
    public void Parse_Malformed_IsRejected(string version) => ComparerAssert.Rejects("Packagist", version, "1.0");
}
