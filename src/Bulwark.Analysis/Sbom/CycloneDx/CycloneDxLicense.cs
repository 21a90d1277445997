namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>A licence by SPDX <see cref="Id"/> (must be on the SPDX list) or by free-text <see cref="Name"/>.</summary>
public sealed record CycloneDxLicense
{
    public string? Id { get; init; }

    public string? Name { get; init; }
}
