namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>The same vulnerability under another id (an alias) and where it is described.</summary>
public sealed record CycloneDxReference
{
    public required string Id { get; init; }

    public required CycloneDxSource Source { get; init; }
}
