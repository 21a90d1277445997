namespace Bulwark.Analysis.Sbom.Spdx;

/// <summary>A licence that is not on the SPDX list, named <c>LicenseRef-…</c>.</summary>
public sealed record SpdxExtractedLicense
{
    public required string LicenseId { get; init; }

    public required string ExtractedText { get; init; }

    public string? Name { get; init; }

    public string? Comment { get; init; }
}
