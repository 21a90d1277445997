namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>One entry of <c>licenses</c>: either a <see cref="License"/> or (alone in the array) an SPDX <see cref="Expression"/>.</summary>
public sealed record CycloneDxLicenseChoice
{
    public CycloneDxLicense? License { get; init; }

    public string? Expression { get; init; }
}
