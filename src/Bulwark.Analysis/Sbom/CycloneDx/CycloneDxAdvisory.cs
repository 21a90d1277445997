namespace Bulwark.Analysis.Sbom.CycloneDx;

public sealed record CycloneDxAdvisory
{
    public string? Title { get; init; }

    public required string Url { get; init; }
}
