namespace Bulwark.Analysis.Sbom.Spdx;

/// <summary>When and by what the document was made.</summary>
public sealed record SpdxCreationInfo
{
    /// <summary>UTC, <c>YYYY-MM-DDThh:mm:ssZ</c>.</summary>
    public required string Created { get; init; }

    /// <summary><c>Tool: bulwark-1.2.3</c>, <c>Organization: …</c>.</summary>
    public required IReadOnlyList<string> Creators { get; init; }

    public string? LicenseListVersion { get; init; }
}
