namespace Bulwark.Vulnerabilities.Tests.Versions;

public sealed class MavenVersionTests
{
    [Theory]
    [InlineData("1.0-alpha-1", "<", "1.0-beta-1")]
    [InlineData("1.0-beta-1", "<", "1.0-milestone-1")]
    [InlineData("1.0-milestone-1", "<", "1.0-rc-1")]
    [InlineData("1.0-rc-1", "=", "1.0-cr-1")]
    [InlineData("1.0-rc-1", "<", "1.0-SNAPSHOT")]
    [InlineData("1.0-SNAPSHOT", "<", "1.0")]
    [InlineData("1.0", "=", "1.0.RELEASE")]
    [InlineData("1.0", "=", "1.0-GA")]
    [InlineData("1.0", "<", "1.0-sp-1")]
    [InlineData("1.0-sp-1", "<", "1.0-unknown")]
    [InlineData("1.0-abc", "<", "1.0-abd")]
    [InlineData("1.0-1", "<", "1.0.1")]
    [InlineData("1.0.0.Final", "=", "1.0")]
    [InlineData("2.0.0.RC1", "<", "2.0.0")]
    [InlineData("1.0-beta1", "<", "1.0-beta2")]
    [InlineData("1.0.0-RC16", "<", "1.0.0.RC8-beta")]
    public void Compare_OrdersByTheVersionOrderSpecification(string a, string op, string b) =>
        ComparerAssert.Holds("Maven", a, op, b);

    [Theory]
    [InlineData("")]
    [InlineData("1.0 ")]
    [InlineData("1.0-\u00fc")]
    public void Parse_Malformed_IsRejected(string version) => ComparerAssert.Rejects("Maven", version, "1.0");
}
