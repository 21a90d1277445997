namespace Bulwark.Vulnerabilities.Tests.Versions;

public sealed class PubVersionTests
{
    [Theory]
    [InlineData("1.0.0-dev", "<", "1.0.0")]
    [InlineData("1.0.0", "<", "1.0.0+1")]
    [InlineData("1.0.0+1", "<", "1.0.0+2")]
    [InlineData("1.0.0+2", "<", "1.0.0+10")]
    [InlineData("1.0.0+10", "<", "1.0.0+a")]
    [InlineData("1.0.0-beta+1", "<", "1.0.0-beta+2")]
    [InlineData("1.0.0+1", "<", "1.0.1")]
    [InlineData("01.2.3", "=", "1.2.3")]
    public void Compare_OrdersAsPubSemver(string a, string op, string b) => ComparerAssert.Holds("Pub", a, op, b);

    [Theory]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.x")]
    public void Parse_Malformed_IsRejected(string version) => ComparerAssert.Rejects("Pub", version, "1.0.0");
}
