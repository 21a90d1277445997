using System.Globalization;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Sbom;

/// <summary>What both writers need about an inventory's packages: unique references, properties, the dependency graph.</summary>
internal sealed class SbomPackages
{
    private SbomPackages(IReadOnlyList<Package> packages, IReadOnlyList<string> refs, IReadOnlyList<IReadOnlyList<string>> dependsOn)
    {
        Packages = packages;
        Refs = refs;
        DependsOn = dependsOn;
    }

    public IReadOnlyList<Package> Packages { get; }

    /// <summary>A unique reference per package: its purl, with <c>|N</c> appended when several packages share one.</summary>
    public IReadOnlyList<string> Refs { get; }

    /// <summary>Per package, the references of the packages of this inventory it depends on (unknown purls left out).</summary>
    public IReadOnlyList<IReadOnlyList<string>> DependsOn { get; }

    public static bool IsOsPackage(Package package) => package.Type is PackageTypes.Deb or PackageTypes.Apk or PackageTypes.Rpm;

    public static SbomPackages From(ImageInventory inventory)
    {
        var packages = inventory.Packages;
        var refs = new List<string>(packages.Count);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var byPurl = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var package in packages)
        {
            var candidate = package.Purl;
            for (var n = 2; !used.Add(candidate); n++)
            {
                candidate = $"{package.Purl}|{n.ToString(CultureInfo.InvariantCulture)}";
            }

            refs.Add(candidate);
            byPurl.TryAdd(package.Purl, candidate);
        }

        var dependsOn = new List<IReadOnlyList<string>>(packages.Count);
        for (var i = 0; i < packages.Count; i++)
        {
            var self = refs[i];
            dependsOn.Add([.. packages[i].DependsOn.Select(p => byPurl.GetValueOrDefault(p)).OfType<string>()
                .Where(r => r != self).Distinct(StringComparer.Ordinal)]);
        }

        return new SbomPackages(packages, refs, dependsOn);
    }

    /// <summary>Packages that hang directly off the image: language packages no other package depends on (OS packages hang off the OS).</summary>
    public IEnumerable<int> Roots(bool hasOperatingSystem)
    {
        var dependedOn = DependsOn.SelectMany(d => d).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < Packages.Count; i++)
        {
            if ((hasOperatingSystem && IsOsPackage(Packages[i])) || (dependedOn.Contains(Refs[i]) && Packages[i].Direct != true))
            {
                continue;
            }

            yield return i;
        }
    }

    /// <summary>The <c>bulwark:</c> properties of a package, in a fixed order.</summary>
    public static List<KeyValuePair<string, string>> Properties(ImageInventory inventory, Package package)
    {
        var properties = new List<KeyValuePair<string, string>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                properties.Add(new(key, value));
            }
        }

        Add(SbomProperties.PackageType, package.Type);
        Add(SbomProperties.PackageArchitecture, package.Architecture);
        Add(SbomProperties.SourceName, package.SourceName);
        Add(SbomProperties.SourceVersion, package.SourceVersion);
        Add(SbomProperties.FoundIn, package.FoundIn);
        if (package.LayerIndex is { } index)
        {
            Add(SbomProperties.LayerIndex, index.ToString(CultureInfo.InvariantCulture));
            var layer = index >= 0 && index < inventory.Layers.Count ? inventory.Layers[index] : null;
            Add(SbomProperties.LayerDiffId, layer?.DiffId ?? (layer is null ? package.LayerDigest : null));
            Add(SbomProperties.LayerDigest, layer?.Digest);
        }

        if (package.Direct is { } direct)
        {
            Add(SbomProperties.Direct, direct ? "true" : "false");
        }

        if (package.Development is true)
        {
            Add(SbomProperties.Development, "true");
        }

        return properties;
    }

    public static string Timestamp(TimeProvider time) =>
        time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
