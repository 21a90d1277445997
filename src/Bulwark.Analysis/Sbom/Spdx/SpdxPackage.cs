using System.Text.Json.Serialization;

namespace Bulwark.Analysis.Sbom.Spdx;

/// <summary>A package: the image, its operating system, an OS or language package.</summary>
public sealed record SpdxPackage
{
    [JsonPropertyName("SPDXID")]
    public required string SpdxId { get; init; }

    public required string Name { get; init; }

    public string? VersionInfo { get; init; }

    public string DownloadLocation { get; init; } = SpdxValues.NoAssertion;

    public bool FilesAnalyzed { get; init; }

    public string? LicenseConcluded { get; init; }

    public string? LicenseDeclared { get; init; }

    public string? CopyrightText { get; init; }

    public string? SourceInfo { get; init; }

    public string? Supplier { get; init; }

    /// <summary><c>CONTAINER</c>, <c>OPERATING_SYSTEM</c>, <c>LIBRARY</c>, <c>APPLICATION</c>….</summary>
    public string? PrimaryPackagePurpose { get; init; }

    public IReadOnlyList<SpdxChecksum>? Checksums { get; init; }

    public IReadOnlyList<SpdxExternalRef>? ExternalRefs { get; init; }

    public IReadOnlyList<SpdxAnnotation>? Annotations { get; init; }
}
