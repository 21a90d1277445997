using System.Text.Json.Serialization;

namespace Bulwark.Analysis.Sbom.Spdx;

/// <summary>An SPDX 2.3 document (JSON), the subset Bulwark writes: packages, relationships, extracted licences.</summary>
public sealed record SpdxDocument
{
    public string SpdxVersion { get; init; } = "SPDX-2.3";

    public string DataLicense { get; init; } = "CC0-1.0";

    [JsonPropertyName("SPDXID")]
    public string SpdxId { get; init; } = "SPDXRef-DOCUMENT";

    public required string Name { get; init; }

    /// <summary>A unique absolute URI without <c>#</c>.</summary>
    public required string DocumentNamespace { get; init; }

    public required SpdxCreationInfo CreationInfo { get; init; }

    public IReadOnlyList<SpdxPackage>? Packages { get; init; }

    public IReadOnlyList<SpdxRelationship>? Relationships { get; init; }

    /// <summary>The text behind every <c>LicenseRef-…</c> a package names.</summary>
    public IReadOnlyList<SpdxExtractedLicense>? HasExtractedLicensingInfos { get; init; }
}
