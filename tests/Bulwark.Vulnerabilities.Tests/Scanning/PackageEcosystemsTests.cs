using Bulwark.Analysis.Inventory;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.Vulnerabilities.Tests.Scanning;

public sealed class PackageEcosystemsTests
{
    [Theory]
    [InlineData("debian", "12", null, "deb", "Debian:12")]
    [InlineData("debian", null, "trixie", "deb", "Debian:13")]
    [InlineData("ubuntu", "22.04", "jammy", "deb", "Ubuntu:22.04")]
    [InlineData("alpine", "3.19.1", null, "apk", "Alpine:v3.19")]
    [InlineData("wolfi", "20230201", null, "apk", "Wolfi")]
    [InlineData("rocky", "9.3", null, "rpm", "Rocky Linux:9")]
    [InlineData("almalinux", "8.10", null, "rpm", "AlmaLinux:8")]
    [InlineData("opensuse-leap", "15.5", null, "rpm", "openSUSE:Leap 15.5")]
    public void OperatingSystems_MapToTheirOsvEcosystem(string id, string? version, string? codename, string type, string expected)
    {
        var os = new OperatingSystemInfo { Id = id, VersionId = version, Codename = codename };

        Assert.True(PackageEcosystems.TryGetOperatingSystemEcosystem(os, type, out var ecosystem, out _));
        Assert.Equal(expected, ecosystem);
    }

    [Theory]
    [InlineData("rhel", "9.4", "rpm", "Red Hat's OSV records are per CPE repository")]
    [InlineData("fedora", "40", "rpm", "not a supported distribution")]
    [InlineData("debian", null, "rpm", "no advisory feed covers that combination")]
    [InlineData("debian", null, "deb", "sid/unstable has no security feed")]
    public void UnsupportedOperatingSystems_SayWhy(string id, string? version, string type, string reason)
    {
        var os = new OperatingSystemInfo { Id = id, VersionId = version, Codename = version is null ? "sid" : null };

        Assert.False(PackageEcosystems.TryGetOperatingSystemEcosystem(os, type, out _, out var message));
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoOperatingSystem_IsUnsupported() =>
        Assert.False(PackageEcosystems.TryCreateQuery(Package("deb", "bash", "5.2", "pkg:deb/debian/bash@5.2"), null, out _, out _));

    [Theory]
    [InlineData("pypi", "Jinja2", "pkg:pypi/jinja2@2.10", "PyPI", "Jinja2")]
    [InlineData("npm", "@babel/core", "pkg:npm/%40babel/core@7.0.0", "npm", "@babel/core")]
    [InlineData("npm", "core", "pkg:npm/%40babel/core@7.0.0", "npm", "@babel/core")]
    [InlineData("maven", "log4j-core", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven", "org.apache.logging.log4j:log4j-core")]
    [InlineData("maven", "org.apache.logging.log4j:log4j-core", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven", "org.apache.logging.log4j:log4j-core")]
    [InlineData("golang", "github.com/gin-gonic/gin", "pkg:golang/github.com/gin-gonic/gin@v1.9.0", "Go", "github.com/gin-gonic/gin")]
    [InlineData("golang", "stdlib", "pkg:golang/stdlib@go1.21.3", "Go", "stdlib")]
    [InlineData("composer", "monolog/monolog", "pkg:composer/monolog/monolog@1.0.0", "Packagist", "monolog/monolog")]
    [InlineData("cargo", "smallvec", "pkg:cargo/smallvec@0.6.9", "crates.io", "smallvec")]
    [InlineData("gem", "rails", "pkg:gem/rails@6.0.0", "RubyGems", "rails")]
    [InlineData("nuget", "Newtonsoft.Json", "pkg:nuget/Newtonsoft.Json@12.0.0", "NuGet", "Newtonsoft.Json")]
    public void LanguagePackages_MapToTheirEcosystemAndQualifiedName(string type, string name, string purl, string ecosystem, string queryName)
    {
        Assert.True(PackageEcosystems.TryCreateQuery(Package(type, name, "1.0", purl), null, out var query, out _));
        Assert.Equal(ecosystem, query.Ecosystem);
        Assert.Equal(queryName, query.Name);
        Assert.Equal(purl, query.Purl);
    }

    [Fact]
    public void UnknownPackageType_IsUnsupported()
    {
        Assert.False(PackageEcosystems.TryCreateQuery(Package("hex", "phoenix", "1.0", "pkg:hex/phoenix@1.0"), null, out _, out var reason));
        Assert.Contains("'hex' has no advisory ecosystem", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DebPackages_CarryTheirSourcePackage()
    {
        var os = new OperatingSystemInfo { Id = "debian", VersionId = "12" };
        var package = Package("deb", "libssl3", "3.0.11-1~deb12u2", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2") with { SourceName = "openssl", SourceVersion = "3.0.11-1~deb12u2" };

        Assert.True(PackageEcosystems.TryCreateQuery(package, os, out var query, out _));
        Assert.Equal(new PackageQuery("Debian:12", "libssl3", "3.0.11-1~deb12u2")
        {
            SourceName = "openssl",
            SourceVersion = "3.0.11-1~deb12u2",
            Purl = package.Purl,
        }, query);
    }

    internal static Package Package(string type, string name, string version, string purl) =>
        new() { Type = type, Name = name, Version = version, Purl = purl, FoundIn = "/x" };
}
