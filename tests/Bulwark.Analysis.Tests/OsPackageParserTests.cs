using Bulwark.Analysis.Packages.Apk;
using Bulwark.Analysis.Packages.Dpkg;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests;

/// <summary>dpkg, distroless and apk databases and OS release files, from synthetic content in the real formats.</summary>
public sealed class OsPackageParserTests
{
    private const string Status = """
        Package: libssl3
        Status: install ok installed
        Architecture: amd64
        Multi-Arch: same
        Source: openssl (3.0.15-1~deb12u1)
        Version: 3.0.15-1~deb12u1+b1
        Description: Secure Sockets Layer toolkit
         continuation line: not a field

        Package: zlib1g
        Status: install ok installed
        Architecture: amd64
        Source: zlib
        Version: 1:1.2.13.dfsg-1

        Package: removed
        Status: deinstall ok config-files
        Architecture: amd64
        Version: 1.0

        Package: half
        Status: install reinstreq half-installed
        Version: 2.0

        Package: bash
        Status: hold ok installed
        Architecture: amd64
        Version: 5.2.15-2+b7

        """;

    [Fact]
    public void DpkgStatus_ReadsSourceFormsAndSkipsPackagesNotInstalled()
    {
        var records = DpkgStatusParser.Parse(new StringReader(Status)).ToList();

        Assert.Equal(
        [
            new DpkgPackageRecord("libssl3", "3.0.15-1~deb12u1+b1", "amd64", "openssl", "3.0.15-1~deb12u1"),
            new DpkgPackageRecord("zlib1g", "1:1.2.13.dfsg-1", "amd64", "zlib", "1:1.2.13.dfsg-1"),
            new DpkgPackageRecord("bash", "5.2.15-2+b7", "amd64", "bash", "5.2.15-2+b7"),
        ], records);
    }

    [Fact]
    public async Task DistrolessStatusDirectory_IsReadPerFileWithMultiArchLists()
    {
        using var tar = new TarBuilder();
        tar.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
            .File("var/lib/dpkg/status.d/libssl3", "Package: libssl3\nVersion: 3.0.15-1\nArchitecture: amd64\nSource: openssl\n")
            .File("var/lib/dpkg/status.d/libssl3.md5sums", "0123  usr/lib/x86_64-linux-gnu/libssl.so.3\n")
            .File("var/lib/dpkg/status.d/tzdata", "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n")
            .File("var/lib/dpkg/info/libssl3:amd64.list", "/.\n/usr\n/usr/lib\n/usr/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu/libssl.so.3\n");

        var inventory = await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(tar.ToArray()));

        Assert.Equal(["libssl3 3.0.15-1 openssl", "tzdata 2024a-0+deb12u1 tzdata"], inventory.Packages.Select(p => $"{p.Name} {p.Version} {p.SourceName}"));
        Assert.Equal(["/usr/lib/x86_64-linux-gnu/libssl.so.3"], inventory.Packages[0].Files);
        Assert.Equal("/var/lib/dpkg/status.d/libssl3", inventory.Packages[0].FoundIn);
        Assert.Equal("pkg:deb/debian/libssl3@3.0.15-1?arch=amd64&distro=debian-12&upstream=openssl", inventory.Packages[0].Purl);
    }

    [Fact]
    public void DebianCopyright_ListsMachineReadableLicences()
    {
        var licenses = DebianCopyrightParser.Parse("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-3+\n\nFiles: lib/*\nLicense: LGPL-2.1+\n text\n\nLicense: GPL-3+\n full text\n");

        Assert.Equal(["GPL-3+", "LGPL-2.1+"], licenses);
    }

    private const string ApkInstalled = """
        C:Q1abc=
        P:musl
        V:1.2.5-r0
        A:x86_64
        S:383152
        o:musl
        L:MIT
        F:lib
        R:ld-musl-x86_64.so.1
        R:libc.musl-x86_64.so.1

        C:Q1def=
        P:libcrypto3
        V:3.3.1-r0
        A:x86_64
        o:openssl
        L:Apache-2.0
        F:usr/lib
        R:libcrypto.so.3
        F:etc/ssl
        R:openssl.cnf

        """;

    [Fact]
    public void ApkInstalled_ReadsOriginLicenceAndFiles()
    {
        var records = ApkInstalledParser.Parse(new StringReader(ApkInstalled)).ToList();

        Assert.Equal(2, records.Count);
        Assert.Equal(("libcrypto3", "3.3.1-r0", "openssl", "Apache-2.0"), (records[1].Name, records[1].Version, records[1].Origin, records[1].License));
        Assert.Equal(["/usr/lib/libcrypto.so.3", "/etc/ssl/openssl.cnf"], records[1].Files);
        Assert.Equal(["/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"], records[0].Files);
    }

    [Fact]
    public async Task AlpineImage_GivesApkPackagesWithLayerAndPurl()
    {
        using var base0 = new TarBuilder();
        base0.File("etc/alpine-release", "3.20.1\n").File("usr/lib/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.1\n")
            .Symlink("etc/os-release", "../usr/lib/os-release").File("lib/apk/db/installed", ApkInstalled.Split("\n\n")[0] + "\n\n");
        using var layer1 = new TarBuilder();
        layer1.File("lib/apk/db/installed", ApkInstalled);

        var inventory = await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(base0.ToArray(), TarBuilder.Gzip(layer1.ToArray())));

        Assert.Equal(("alpine", "3.20.1", "3.20.1"), (inventory.OperatingSystem?.Id, inventory.OperatingSystem?.VersionId, inventory.OperatingSystem?.DetailedVersion));
        Assert.Equal(["libcrypto3 1", "musl 0"], inventory.Packages.Select(p => $"{p.Name} {p.LayerIndex}"));
        Assert.Equal("pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=3.20.1", inventory.Packages[1].Purl);
    }

    [Theory]
    [InlineData("etc/alpine-release", "3.19.1\n", "alpine", "3.19.1")]
    [InlineData("etc/redhat-release", "Red Hat Enterprise Linux release 8.9 (Ootpa)\n", "rhel", "8.9")]
    [InlineData("etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n", "centos", "7.9.2009")]
    [InlineData("etc/debian_version", "11.9\n", "debian", "11")]
    public async Task ReleaseFiles_IdentifyTheOsWithoutOsRelease(string path, string content, string id, string version)
    {
        using var tar = new TarBuilder();

        var inventory = await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(tar.File(path, content).ToArray()));

        Assert.Equal((id, version), (inventory.OperatingSystem?.Id, inventory.OperatingSystem?.VersionId));
    }

    [Fact]
    public async Task OsRelease_WinsAndQuotedValuesAreUnquoted()
    {
        using var tar = new TarBuilder();
        tar.File("etc/os-release", "PRETTY_NAME=\"Ubuntu 24.04 LTS\"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID='24.04'\nVERSION_CODENAME=noble\n# comment\n")
            .File("etc/debian_version", "trixie/sid\n");

        var inventory = await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(tar.ToArray()));

        Assert.Equal(("ubuntu", "24.04", "Ubuntu 24.04 LTS", "noble"),
            (inventory.OperatingSystem?.Id, inventory.OperatingSystem?.VersionId, inventory.OperatingSystem?.PrettyName, inventory.OperatingSystem?.Codename));
        Assert.Equal(["debian"], inventory.OperatingSystem?.IdLike);
    }

    [Fact]
    public async Task NoPackageDatabase_GivesAnEmptyInventory()
    {
        using var tar = new TarBuilder();

        var inventory = await SyntheticImage.AnalyzeAsync(SyntheticImage.Create(tar.File("app/main", "x").ToArray()));

        Assert.Null(inventory.OperatingSystem);
        Assert.Empty(inventory.Packages);
    }
}
