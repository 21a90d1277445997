using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>
/// Builds a CycloneDX 1.6 BOM from an inventory: the image as <c>metadata.component</c> (type <c>container</c>), the
/// operating system and every package as components, and the dependency graph image → OS → OS packages, image →
/// language packages → their dependencies. Serialize it with <see cref="SbomSerializer"/>. The <c>vulnerabilities</c>
/// array is left empty here: the scanner fills it (<c>bulwark scan --format cyclonedx</c>), using <see cref="ComponentRefs"/>.
/// </summary>
public static class CycloneDxBuilder
{
    public static CycloneDxBom Build(ImageInventory inventory, SbomOptions? options = null)
    {
        options ??= SbomOptions.Default;
        var subject = SbomSubject.From(inventory);
        var packages = SbomPackages.From(inventory);
        var imageRef = subject.Purl ?? "image";

        var image = new CycloneDxComponent
        {
            Type = CycloneDxComponentTypes.Container,
            BomRef = imageRef,
            Name = subject.Name,
            Version = subject.Version,
            Hashes = subject.ManifestSha256 is { } sha ? [new CycloneDxHash("SHA-256", sha)] : null,
            Purl = subject.Purl,
            Properties = ToProperties(subject.Properties),
        };

        var components = new List<CycloneDxComponent>(packages.Packages.Count + 1);
        var dependencies = new List<CycloneDxDependency>(packages.Packages.Count + 2);
        string? osRef = null;
        if (inventory.OperatingSystem is { } os)
        {
            var version = os.DetailedVersion ?? os.VersionId;
            osRef = $"os:{os.Id}" + (version is null ? "" : "@" + version);
            var osProperties = new List<KeyValuePair<string, string>>();
            AddIf(osProperties, SbomProperties.OsVersionId, os.VersionId);
            AddIf(osProperties, SbomProperties.OsCodename, os.Codename);
            AddIf(osProperties, SbomProperties.OsPrettyName, os.PrettyName);
            components.Add(new CycloneDxComponent
            {
                Type = CycloneDxComponentTypes.OperatingSystem,
                BomRef = osRef,
                Name = os.Id,
                Version = version,
                Description = os.PrettyName,
                Properties = ToProperties(osProperties),
            });
        }

        for (var i = 0; i < packages.Packages.Count; i++)
        {
            var package = packages.Packages[i];
            components.Add(new CycloneDxComponent
            {
                Type = CycloneDxComponentTypes.Library,
                BomRef = packages.Refs[i],
                Name = package.Name,
                Version = package.Version,
                Licenses = Licenses(package.Licenses),
                Purl = package.Purl,
                Properties = ToProperties(SbomPackages.Properties(inventory, package)),
            });
        }

        var imageDependsOn = new List<string>();
        if (osRef is not null)
        {
            imageDependsOn.Add(osRef);
        }

        imageDependsOn.AddRange(packages.Roots(osRef is not null).Select(i => packages.Refs[i]));
        dependencies.Add(new CycloneDxDependency { Ref = imageRef, DependsOn = imageDependsOn });
        if (osRef is not null)
        {
            dependencies.Add(new CycloneDxDependency
            {
                Ref = osRef,
                DependsOn = [.. Enumerable.Range(0, packages.Packages.Count).Where(i => SbomPackages.IsOsPackage(packages.Packages[i])).Select(i => packages.Refs[i])],
            });
        }

        for (var i = 0; i < packages.Packages.Count; i++)
        {
            dependencies.Add(new CycloneDxDependency { Ref = packages.Refs[i], DependsOn = packages.DependsOn[i] });
        }

        return new CycloneDxBom
        {
            SerialNumber = "urn:uuid:" + (options.DocumentId ?? Guid.NewGuid()).ToString("D"),
            Metadata = new CycloneDxMetadata
            {
                Timestamp = SbomPackages.Timestamp(options.TimeProvider),
                Tools = new CycloneDxTools
                {
                    Components = [new CycloneDxComponent { Type = CycloneDxComponentTypes.Application, Group = "bulwark", Name = "bulwark", Version = options.ToolVersion }],
                },
                Component = image,
            },
            Components = components,
            Dependencies = dependencies,
        };
    }

    /// <summary>
    /// The <c>bom-ref</c> <see cref="Build"/> gives each of <paramref name="inventory"/>'s packages, in the order of
    /// <see cref="ImageInventory.Packages"/>: its purl, with <c>|N</c> appended when several packages share one. A
    /// scanner uses it to point <c>vulnerabilities[].affects[].ref</c> at the right component.
    /// </summary>
    public static IReadOnlyList<string> ComponentRefs(ImageInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return SbomPackages.From(inventory).Refs;
    }

    /// <summary>
    /// Licences as CycloneDX wants them: an SPDX id as <c>license.id</c>, anything else as <c>license.name</c>; when all
    /// are SPDX and one is a compound expression, one <c>expression</c> (CycloneDX allows an expression only alone).
    /// </summary>
    internal static IReadOnlyList<CycloneDxLicenseChoice>? Licenses(IReadOnlyList<string> licenses)
    {
        if (licenses.Count == 0)
        {
            return null;
        }

        // A compound expression can only stand alone: when every licence is SPDX and one is compound, AND them together.
        var normalized = licenses.Select(SpdxLicenses.Normalize).Distinct(StringComparer.Ordinal).ToList();
        if (normalized.All(n => n is not null) && normalized.Any(n => !SpdxLicenses.IsSingleId(n!)))
        {
            return [new CycloneDxLicenseChoice
            {
                Expression = normalized.Count == 1 ? normalized[0] : string.Join(" AND ", normalized.Select(n => SpdxLicenses.IsSingleId(n!) ? n : $"({n})")),
            }];
        }

        return [.. licenses.Select(l => SpdxLicenses.Normalize(l) is { } id && SpdxLicenses.IsSingleId(id) && SpdxLicenses.IsListedId(id)
                ? new CycloneDxLicense { Id = id }
                : new CycloneDxLicense { Name = l })
            .Distinct()
            .Select(l => new CycloneDxLicenseChoice { License = l })];
    }

    private static void AddIf(List<KeyValuePair<string, string>> list, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            list.Add(new(key, value));
        }
    }

    private static List<CycloneDxProperty>? ToProperties(IReadOnlyList<KeyValuePair<string, string>> properties) =>
        properties.Count == 0 ? null : [.. properties.Select(p => new CycloneDxProperty(p.Key, p.Value))];
}
