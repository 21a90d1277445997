using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Analysis.Inventory;
using Bulwark.Oci;

namespace Bulwark.ScanBench;

/// <summary>
/// Generates image inventories for the re-match benchmark from one real analysis of the Debian root filesystem: each
/// image is the Debian base (layer 0, a few packages removed as slimmed bases do, its files and executables kept)
/// plus 1–3 application layers of language packages (Go modules, PyPI, crates). A third of the language packages are
/// versions the shared advisories name (affected or fixed); the rest are names no advisory mentions, as most
/// dependencies are. A quarter of the images are the bare base. Deterministic for a seed.
/// </summary>
internal sealed class InventoryGenerator(ImageInventory debian, IReadOnlyList<PackageCandidate> candidates, int seed)
{
    private static readonly string[] LanguageTypes = [PackageTypes.Golang, PackageTypes.PyPI, PackageTypes.Cargo];

    // One advisory pick in ten comes from the advisories the update adds, so that the update has something to find.
    private readonly PackageCandidate[] _withheld = [.. candidates.Where(c => c.FromWithheld)];
    private readonly PackageCandidate[] _known = [.. candidates.Where(c => !c.FromWithheld)];

    /// <summary>The repository image <paramref name="index"/> is pushed to: 300 repositories, several tags each.</summary>
    public static string RepositoryOf(int index) => $"bench/app-{index % 300}";

    public ImageInventory Generate(int index)
    {
        // Not HashCode.Combine: it is seeded per process, and the inventories must be the same in every run.
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var manifest = DigestOf($"scanbench manifest {seed} {index}");
        var baseLayer = new LayerInfo
        {
            Index = 0,
            Digest = DigestOf($"scanbench base {seed} {index % 20}"),
            DiffId = DigestOf($"scanbench base diff {seed} {index % 20}"),
            MediaType = MediaTypes.OciLayerGzip,
            CreatedBy = "# debian:bookworm (debootstrap --variant=minbase)",
            InBaseImage = true,
        };
        var layers = new List<LayerInfo> { baseLayer };
        var packages = debian.Packages
            .Where(_ => random.NextDouble() >= 0.05)
            .Select(p => p with { LayerIndex = 0, LayerDigest = baseLayer.DiffId })
            .ToList();

        var languagePackages = random.NextDouble() < 0.25 ? 0 : random.Next(10, 121);
        var appLayers = languagePackages == 0 ? 0 : random.Next(1, 4);
        for (var l = 1; l <= appLayers; l++)
        {
            layers.Add(new LayerInfo
            {
                Index = l,
                Digest = DigestOf($"scanbench layer {seed} {index} {l}"),
                DiffId = DigestOf($"scanbench layer diff {seed} {index} {l}"),
                MediaType = MediaTypes.OciLayerGzip,
                CreatedBy = $"COPY app/ /app/ # layer {l}",
                InBaseImage = false,
            });
        }

        for (var i = 0; i < languagePackages; i++)
        {
            var layer = layers[random.Next(1, layers.Count)];
            var candidate = random.NextDouble() < 1 / 3.0 ? PickAdvisoryPackage(random) : CleanPackage(random);
            packages.Add(ToPackage(candidate, layer));
        }

        return debian with
        {
            Source = $"127.0.0.1:5000/{RepositoryOf(index)}:1.{index}",
            ManifestDigest = manifest,
            ConfigDigest = DigestOf($"scanbench config {seed} {index}"),
            Layers = layers,
            Packages = packages,
        };
    }

    private PackageCandidate PickAdvisoryPackage(Random random) =>
        _withheld.Length > 0 && random.NextDouble() < 0.1 ? _withheld[random.Next(_withheld.Length)] : _known[random.Next(_known.Length)];

    private static PackageCandidate CleanPackage(Random random)
    {
        var type = LanguageTypes[random.Next(LanguageTypes.Length)];
        var n = random.Next(3000).ToString(CultureInfo.InvariantCulture);
        var (name, version) = type switch
        {
            PackageTypes.Golang => ($"example.com/scanbench/module{n}", $"v1.{random.Next(20)}.{random.Next(10)}"),
            PackageTypes.PyPI => ($"scanbench-lib{n}", $"2.{random.Next(20)}.{random.Next(10)}"),
            _ => ($"scanbench_crate{n}", $"0.{random.Next(20)}.{random.Next(10)}"),
        };
        return new PackageCandidate(type, name, version, false, false);
    }

    private static Package ToPackage(PackageCandidate candidate, LayerInfo layer)
    {
        var (foundIn, ns, name) = candidate.Type switch
        {
            PackageTypes.Golang => ("/app/bin/server", candidate.Name.Contains('/', StringComparison.Ordinal) ? candidate.Name[..candidate.Name.LastIndexOf('/')] : null,
                candidate.Name.Contains('/', StringComparison.Ordinal) ? candidate.Name[(candidate.Name.LastIndexOf('/') + 1)..] : candidate.Name),
            PackageTypes.PyPI => ($"/usr/local/lib/python3.11/site-packages/{candidate.Name}-{candidate.Version}.dist-info/METADATA", null, candidate.Name),
            _ => ("/app/bin/worker", null, candidate.Name),
        };
        return new Package
        {
            Type = candidate.Type,
            Name = candidate.Name,
            Version = candidate.Version,
            FoundIn = foundIn,
            Purl = PackageUrl.Create(candidate.Type, ns, name, candidate.Version),
            LayerIndex = layer.Index,
            LayerDigest = layer.DiffId,
        };
    }

    private static string DigestOf(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
