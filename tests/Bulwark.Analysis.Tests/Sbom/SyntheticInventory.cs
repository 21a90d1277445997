using Bulwark.Analysis.Inventory;
using Bulwark.Oci;

namespace Bulwark.Analysis.Tests.Sbom;

/// <summary>A small hand-made inventory with the cases the writers must get right: odd names, licence forms, a dependency graph, a duplicate purl.</summary>
internal static class SyntheticInventory
{
    public const string ManifestDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Layer0 = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Layer1 = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    public static readonly Guid DocumentId = new("6f1c1c59-3b0e-4c53-9a4e-1b2f1d3c4e5f");

    public static ImageInventory Create()
    {
        string Deb(string name, string version, string? upstream = null) => PackageUrl.Create("deb", "debian", name, version,
            [new("arch", "arm64"), new("distro", "debian-12"), new("upstream", upstream)]);
        string Npm(string? scope, string name, string version) => PackageUrl.Create("npm", scope, name, version);

        return new ImageInventory
        {
            Source = "registry.example.com/team/app:1.0",
            ManifestDigest = ManifestDigest,
            ConfigDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222",
            Platform = new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" },
            OperatingSystem = new OperatingSystemInfo
            {
                Id = "debian",
                VersionId = "12",
                DetailedVersion = "12.5",
                Codename = "bookworm",
                PrettyName = "Debian GNU/Linux 12 (bookworm)",
            },
            Layers =
            [
                new LayerInfo { Index = 0, Digest = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", DiffId = Layer0, Size = 100 },
                new LayerInfo { Index = 1, Digest = "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", DiffId = Layer1, Size = 10 },
            ],
            Packages =
            [
                new Package
                {
                    Type = "deb", Name = "bash", Version = "5.2.15-2+b7", Architecture = "arm64", SourceName = "bash", SourceVersion = "5.2.15-2",
                    Licenses = ["GPL-3+"], LayerIndex = 0, LayerDigest = Layer0, FoundIn = "/var/lib/dpkg/status", Purl = Deb("bash", "5.2.15-2+b7"),
                },
                new Package
                {
                    Type = "deb", Name = "g++-12", Version = "12.2.0-14", Architecture = "arm64", SourceName = "gcc-12", SourceVersion = "12.2.0-14",
                    Licenses = ["GPL-3+ with GCC-exception-3.1", "GFDL-1.2+", "Artistic"], LayerIndex = 1, LayerDigest = Layer1,
                    FoundIn = "/var/lib/dpkg/status", Purl = Deb("g++-12", "12.2.0-14", "gcc-12"),
                },
                new Package
                {
                    Type = "deb", Name = "libc6", Version = "2.36-9+deb12u4", Architecture = "arm64", SourceName = "glibc", SourceVersion = "2.36-9+deb12u4",
                    Licenses = ["LGPL-2.1+", "GPL-2", "public-domain", "BSD-3-clause"], LayerIndex = 0, LayerDigest = Layer0,
                    FoundIn = "/var/lib/dpkg/status", Purl = Deb("libc6", "2.36-9+deb12u4", "glibc"),
                },
                new Package
                {
                    Type = "npm", Name = "@types/node", Version = "20.1.0", Licenses = ["MIT OR Apache-2.0"], Direct = true, Development = false,
                    DependsOn = [Npm(null, "lodash", "4.17.21"), Npm(null, "ünïcode pkg", "1.0.0")],
                    LayerIndex = 1, LayerDigest = Layer1, FoundIn = "/app/node_modules/@types/node/package.json", Purl = Npm("@types", "node", "20.1.0"),
                },
                new Package
                {
                    Type = "npm", Name = "lodash", Version = "4.17.21", Licenses = ["mit"], Direct = false,
                    DependsOn = [Npm(null, "not-in-image", "1.0.0")],
                    LayerIndex = 1, LayerDigest = Layer1, FoundIn = "/app/node_modules/lodash/package.json", Purl = Npm(null, "lodash", "4.17.21"),
                },
                new Package
                {
                    Type = "npm", Name = "lodash", Version = "4.17.21", Licenses = ["MIT"], Direct = false,
                    LayerIndex = 1, LayerDigest = Layer1, FoundIn = "/app/node_modules/x/node_modules/lodash/package.json", Purl = Npm(null, "lodash", "4.17.21"),
                },
                new Package
                {
                    Type = "npm", Name = "ünïcode pkg", Version = "1.0.0", Licenses = ["Some Custom License (see LICENSE)"], Development = true,
                    LayerIndex = 1, LayerDigest = Layer1, FoundIn = "/app/node_modules/ünïcode pkg/package.json", Purl = Npm(null, "ünïcode pkg", "1.0.0"),
                },
            ],
            Files = [],
            Warnings = [],
        };
    }
}
