namespace Bulwark.Analysis.Sbom.CycloneDx;

public sealed record CycloneDxSource
{
    public string? Name { get; init; }

    public string? Url { get; init; }
}
