using System.Security.Cryptography;
using System.Text;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Sbom.Spdx;

/// <summary>
/// Builds an SPDX 2.3 document from an inventory: the image (purpose <c>CONTAINER</c>), its operating system and every
/// package as SPDX packages; the document <c>DESCRIBES</c> the image, the image <c>CONTAINS</c> the OS and the packages,
/// and <c>DEPENDS_ON</c> edges follow the packages' dependencies. Serialize it with <see cref="SbomSerializer"/>.
/// </summary>
public static class SpdxBuilder
{
    public const string DocumentId = "SPDXRef-DOCUMENT";
    public const string ImageId = "SPDXRef-Image";
    public const string OperatingSystemId = "SPDXRef-OperatingSystem";

    public static SpdxDocument Build(ImageInventory inventory, SbomOptions? options = null)
    {
        options ??= SbomOptions.Default;
        var subject = SbomSubject.From(inventory);
        var packages = SbomPackages.From(inventory);
        var created = SbomPackages.Timestamp(options.TimeProvider);
        var annotator = $"Tool: bulwark-{options.ToolVersion}";
        var licenses = new ExtractedLicenses();

        var spdxPackages = new List<SpdxPackage>(packages.Packages.Count + 2)
        {
            new()
            {
                SpdxId = ImageId,
                Name = subject.Name,
                VersionInfo = subject.Version,
                PrimaryPackagePurpose = "CONTAINER",
                Checksums = subject.ManifestSha256 is { } sha ? [new SpdxChecksum("SHA256", sha)] : null,
                ExternalRefs = subject.Purl is { } purl ? [Purl(purl)] : null,
                Annotations = Annotations(subject.Properties, created, annotator),
            },
        };
        var relationships = new List<SpdxRelationship> { new(DocumentId, "DESCRIBES", ImageId) };
        if (inventory.OperatingSystem is { } os)
        {
            spdxPackages.Add(new SpdxPackage
            {
                SpdxId = OperatingSystemId,
                Name = os.Id,
                VersionInfo = os.DetailedVersion ?? os.VersionId,
                PrimaryPackagePurpose = "OPERATING_SYSTEM",
                SourceInfo = os.PrettyName,
            });
            relationships.Add(new SpdxRelationship(ImageId, "CONTAINS", OperatingSystemId));
        }

        var ids = packages.Refs.Select((r, i) => PackageId(packages.Packages[i], r)).ToList();
        var idByRef = packages.Refs.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => ids[x.i], StringComparer.Ordinal);
        for (var i = 0; i < packages.Packages.Count; i++)
        {
            var package = packages.Packages[i];
            spdxPackages.Add(new SpdxPackage
            {
                SpdxId = ids[i],
                Name = package.Name,
                VersionInfo = package.Version,
                LicenseConcluded = SpdxValues.NoAssertion,
                LicenseDeclared = licenses.Declared(package.Licenses),
                SourceInfo = SourceInfo(package),
                PrimaryPackagePurpose = "LIBRARY",
                ExternalRefs = [Purl(package.Purl)],
                Annotations = Annotations(SbomPackages.Properties(inventory, package), created, annotator),
            });
            relationships.Add(new SpdxRelationship(ImageId, "CONTAINS", ids[i]));
        }

        for (var i = 0; i < packages.Packages.Count; i++)
        {
            relationships.AddRange(packages.DependsOn[i].Select(d => new SpdxRelationship(ids[i], "DEPENDS_ON", idByRef[d])));
        }

        var documentId = options.DocumentId ?? Guid.NewGuid();
        return new SpdxDocument
        {
            Name = subject.Name,
            DocumentNamespace = $"{options.SpdxNamespaceBase}{Sanitize(subject.Name)}-{documentId:D}",
            CreationInfo = new SpdxCreationInfo
            {
                Created = created,
                Creators = [$"Tool: bulwark-{options.ToolVersion}"],
                LicenseListVersion = SpdxLicenses.ListVersion is { Length: > 0 } v && char.IsAsciiDigit(v[0]) ? v : null,
            },
            Packages = spdxPackages,
            Relationships = relationships,
            HasExtractedLicensingInfos = licenses.All.Count == 0 ? null : licenses.All,
        };
    }

    /// <summary>
    /// An SPDXID for a package: <c>SPDXRef-Package-TYPE-NAME-HASH</c> with every character outside SPDX's
    /// <c>[A-Za-z0-9.-]</c> replaced by <c>-</c>, and a hash of the package's unique reference so that ids stay unique.
    /// </summary>
    public static string PackageId(Package package, string uniqueRef) =>
        $"SPDXRef-Package-{Sanitize(package.Type)}-{Sanitize(package.Name)}-{Hash(uniqueRef)}";

    internal static string Sanitize(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, 64));
        foreach (var c in value)
        {
            if (builder.Length == 64)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-');
        }

        return builder.Length == 0 ? "x" : builder.ToString();
    }

    internal static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 8));

    private static SpdxExternalRef Purl(string purl) => new("PACKAGE-MANAGER", "purl", purl);

    private static string SourceInfo(Package package)
    {
        var text = new StringBuilder("acquired package info from ").Append(package.FoundIn);
        if (package.LayerIndex is { } index)
        {
            text.Append(" in layer ").Append(index);
            if (package.LayerDigest is { } digest)
            {
                text.Append(" (").Append(digest).Append(')');
            }
        }

        return text.ToString();
    }

    private static List<SpdxAnnotation>? Annotations(IReadOnlyList<KeyValuePair<string, string>> properties, string date, string annotator) =>
        properties.Count == 0 ? null
            : [.. properties.Select(p => new SpdxAnnotation { AnnotationDate = date, Annotator = annotator, Comment = $"{p.Key}={p.Value}" })];

    /// <summary>Declared licences as one expression: SPDX ones as they are, others as <c>LicenseRef-…</c> collected for <c>hasExtractedLicensingInfos</c>.</summary>
    private sealed class ExtractedLicenses
    {
        private readonly Dictionary<string, string> idByText = new(StringComparer.Ordinal);
        private readonly HashSet<string> usedIds = new(StringComparer.Ordinal);

        public List<SpdxExtractedLicense> All { get; } = [];

        public string Declared(IReadOnlyList<string> licenses)
        {
            if (licenses.Count == 0)
            {
                return SpdxValues.NoAssertion;
            }

            var terms = licenses.Select(l => SpdxLicenses.Normalize(l) ?? RefFor(l)).Distinct(StringComparer.Ordinal).ToList();
            // Several licences found for one package (Debian copyright files list one per group of files) all apply.
            return terms.Count == 1 ? terms[0]
                : string.Join(" AND ", terms.Select(t => SpdxLicenses.IsSingleId(t) ? t : $"({t})"));
        }

        private string RefFor(string text)
        {
            if (idByText.TryGetValue(text, out var id))
            {
                return id;
            }

            id = "LicenseRef-" + Sanitize(text);
            if (!usedIds.Add(id))
            {
                id = $"LicenseRef-{Sanitize(text)}-{Hash(text)}";
                usedIds.Add(id);
            }

            idByText[text] = id;
            All.Add(new SpdxExtractedLicense { LicenseId = id, Name = text, ExtractedText = text });
            return id;
        }
    }
}
