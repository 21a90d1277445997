using Bulwark.Analysis.Executables;
using Bulwark.Analysis.Inventory;
using Bulwark.Oci;
using Bulwark.Server.Scanning;

namespace Bulwark.Server.Tests.Scanning;

public sealed class InventoryCodecTests
{
    private static readonly ImageInventory Inventory = new()
    {
        Source = "127.0.0.1:5000/team/app:1.0",
        ManifestDigest = "sha256:" + new string('a', 64),
        OperatingSystem = new OperatingSystemInfo { Id = "debian", VersionId = "12", Codename = "bookworm" },
        Layers = [new LayerInfo { Index = 0, DiffId = "sha256:" + new string('b', 64), InBaseImage = true }],
        Packages =
        [
            new Package
            {
                Type = PackageTypes.Deb,
                Name = "libssl3",
                Version = "3.0.11-1~deb12u2",
                SourceName = "openssl",
                SourceVersion = "3.0.11-1~deb12u2",
                Licenses = ["Apache-2.0"],
                Files = ["/usr/lib/x86_64-linux-gnu/libssl.so.3", "/usr/share/doc/libssl3/copyright"],
                LayerIndex = 0,
                LayerDigest = "sha256:" + new string('b', 64),
                FoundIn = "/var/lib/dpkg/status",
                Purl = "pkg:deb/debian/libssl3@3.0.11-1~deb12u2",
            },
        ],
        Files = [new InventoryFile { Path = "/var/lib/dpkg/status", Size = 100, LayerIndex = 0, Sha256 = new string('c', 64) }],
        Executables = [new Executable { Path = "/usr/bin/openssl", LayerIndex = 0, Kind = ExecutableKind.Elf, Size = 10, Sha256 = new string('d', 64), Mode = "0755" }],
        Warnings = ["rpm: no database"],
    };

    [Fact]
    public void Decode_RoundTripsEverything()
    {
        var decoded = InventoryCodec.Decode(InventoryCodec.Encode(Inventory));

        Assert.Equal(Inventory.Packages[0].Files, decoded.Packages[0].Files);
        Assert.Equal(Inventory.Packages[0].Licenses, decoded.Packages[0].Licenses);
        Assert.Equal("/usr/bin/openssl", Assert.Single(decoded.Executables).Path);
        Assert.Equal(Inventory.Files, decoded.Files);
    }

    [Fact]
    public void DecodeForMatching_KeepsWhatMatchingReads_AndLeavesOutFileListsAndExecutables()
    {
        var decoded = InventoryCodec.DecodeForMatching(InventoryCodec.Encode(Inventory));

        var package = Assert.Single(decoded.Packages);
        var original = Inventory.Packages[0];
        Assert.Equal(
            (original.Type, original.Name, original.Version, original.SourceName, original.SourceVersion, original.LayerIndex, original.LayerDigest, original.FoundIn, original.Purl),
            (package.Type, package.Name, package.Version, package.SourceName, package.SourceVersion, package.LayerIndex, package.LayerDigest, package.FoundIn, package.Purl));
        Assert.Empty(package.Files);
        Assert.Empty(package.Licenses);
        Assert.Empty(decoded.Executables);
        Assert.Equal(Inventory.Source, decoded.Source);
        Assert.Equal(Inventory.ManifestDigest, decoded.ManifestDigest);
        Assert.Equal(("debian", "12"), (decoded.OperatingSystem!.Id, decoded.OperatingSystem.VersionId));
        Assert.Equal(Inventory.Layers, decoded.Layers);
        Assert.Equal(Inventory.Warnings, decoded.Warnings);
    }

    [Fact]
    public void DecodeForMatching_LargeInventory_SkipsFileListsAcrossReadBuffers()
    {
        // Far beyond one JSON read buffer (16 KiB), as a real Debian inventory is.
        var packages = Enumerable.Range(0, 200).Select(i => Inventory.Packages[0] with
        {
            Name = $"pkg{i}",
            Files = [.. Enumerable.Range(0, 50).Select(f => $"/usr/share/doc/pkg{i}/file{f}")],
        }).ToList();
        var large = Inventory with { Packages = packages };

        var decoded = InventoryCodec.DecodeForMatching(InventoryCodec.Encode(large));

        Assert.Equal(packages.Select(p => p.Name), decoded.Packages.Select(p => p.Name));
        Assert.All(decoded.Packages, p => Assert.Empty(p.Files));
        Assert.Equal(50, InventoryCodec.Decode(InventoryCodec.Encode(large)).Packages[199].Files.Count);
    }

    [Fact]
    public void EncodeForMatching_KeepsWhatMatchingReads_AndLeavesOutTheRest()
    {
        var packages = Enumerable.Range(0, 200).Select(i => Inventory.Packages[0] with
        {
            Name = $"pkg{i}",
            Files = [.. Enumerable.Range(0, 50).Select(f => $"/usr/share/doc/pkg{i}/file{f}")],
            DependsOn = ["libc6"],
        }).ToList();
        var inventory = Inventory with { Packages = packages, Config = new ImageConfig { Architecture = "amd64", Os = "linux" } };

        var input = InventoryCodec.EncodeForMatching(inventory);
        var decoded = InventoryCodec.Decode(input);

        Assert.Equal(
            packages.Select(p => (p.Type, p.Name, p.Version, p.Architecture, p.SourceName, p.SourceVersion, p.LayerIndex, p.LayerDigest, p.FoundIn, p.Purl)),
            decoded.Packages.Select(p => (p.Type, p.Name, p.Version, p.Architecture, p.SourceName, p.SourceVersion, p.LayerIndex, p.LayerDigest, p.FoundIn, p.Purl)));
        Assert.All(decoded.Packages, p => Assert.True(p.Files.Count == 0 && p.Licenses.Count == 0 && p.DependsOn.Count == 0));
        Assert.Equal((inventory.Source, inventory.ManifestDigest), (decoded.Source, decoded.ManifestDigest));
        Assert.Equal(("debian", "12"), (decoded.OperatingSystem!.Id, decoded.OperatingSystem.VersionId));
        Assert.Equal(inventory.Layers, decoded.Layers);
        Assert.Equal(inventory.Warnings, decoded.Warnings);
        Assert.Empty(decoded.Files);
        Assert.Empty(decoded.Executables);
        Assert.Null(decoded.Config);
        Assert.True(input.Length * 4 < InventoryCodec.Encode(inventory).Length, $"{input.Length} bytes");
    }

    [Fact]
    public void Decode_NotGzip_IsInvalidData()
    {
        Assert.ThrowsAny<InvalidDataException>(() => InventoryCodec.DecodeForMatching([1, 2, 3, 4]));
    }
}
