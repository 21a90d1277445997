using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

public sealed class VersionComparersTests
{
    [Theory]
    [InlineData("Debian")]
    [InlineData("Ubuntu")]
    [InlineData("Alpine")]
    [InlineData("Red Hat")]
    [InlineData("Rocky Linux")]
    [InlineData("AlmaLinux")]
    [InlineData("npm")]
    [InlineData("PyPI")]
    [InlineData("NuGet")]
    [InlineData("Maven")]
    [InlineData("Go")]
    [InlineData("RubyGems")]
    [InlineData("crates.io")]
    [InlineData("Packagist")]
    [InlineData("CRAN")]
    [InlineData("Pub")]
    [InlineData("Hackage")]
    public void For_KnownEcosystem_ReturnsItsComparer(string ecosystem) =>
        Assert.Equal(ecosystem, VersionComparers.For(ecosystem).Ecosystem);

    [Theory]
    [InlineData("Debian:12", "Debian")]
    [InlineData("Ubuntu:22.04:LTS", "Ubuntu")]
    [InlineData("Alpine:v3.19", "Alpine")]
    [InlineData("Red Hat:enterprise_linux:9::appstream", "Red Hat")]
    public void For_EcosystemWithRelease_IgnoresTheSuffix(string ecosystem, string expected) =>
        Assert.Equal(expected, VersionComparers.For(ecosystem).Ecosystem);

    [Theory]
    [InlineData("debian")]
    [InlineData("Unknown")]
    [InlineData(":12")]
    [InlineData("")]
    public void For_UnknownEcosystem_Throws(string ecosystem)
    {
        Assert.Throws<ArgumentException>(() => VersionComparers.For(ecosystem));
        Assert.False(VersionComparers.TryFor(ecosystem, out _));
    }

    [Fact]
    public void TryFor_Null_ReturnsFalse() => Assert.False(VersionComparers.TryFor(null, out _));

    [Fact]
    public void SemVer_IsTheOsvSemverRangeOrder() => Assert.True(VersionComparers.SemVer.Compare("1.0.0-rc.1", "1.0.0") < 0);
}
