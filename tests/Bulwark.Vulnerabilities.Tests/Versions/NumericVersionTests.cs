namespace Bulwark.Vulnerabilities.Tests.Versions;

/// <summary>CRAN and Hackage: purely numeric versions where a longer version with the same prefix is greater.</summary>
public sealed class NumericVersionTests
{
    [Theory]
    [InlineData("1.0-1", "=", "1.0.1")]
    [InlineData("1.0", "<", "1.0.0")]
    [InlineData("1.9", "<", "1.10")]
    [InlineData("01.2", "=", "1.2")]
    public void Cran_OrdersAsPackageVersion(string a, string op, string b) => ComparerAssert.Holds("CRAN", a, op, b);

    [Theory]
    [InlineData("1")]
    [InlineData("1.a")]
    [InlineData("1..0")]
    [InlineData("1.0-")]
    [InlineData("v1.0")]
    public void Cran_Malformed_IsRejected(string version) => ComparerAssert.Rejects("CRAN", version, "1.0");

    [Theory]
    [InlineData("1", "<", "1.0")]
    [InlineData("1.0", "<", "1.0.0")]
    [InlineData("1.9", "<", "1.10")]
    [InlineData("2", ">", "1.99.99")]
    public void Hackage_OrdersAsCabal(string a, string op, string b) => ComparerAssert.Holds("Hackage", a, op, b);

    [Theory]
    [InlineData("1.0-tag")]
    [InlineData("1.")]
    [InlineData("")]
    public void Hackage_Malformed_IsRejected(string version) => ComparerAssert.Rejects("Hackage", version, "1.0");
}
