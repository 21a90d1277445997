namespace Bulwark.Analysis.Sbom.CycloneDx;

public sealed record CycloneDxAffects
{
    /// <summary>The <c>bom-ref</c> of the affected component.</summary>
    public required string Ref { get; init; }

    public IReadOnlyList<CycloneDxAffectedVersion>? Versions { get; init; }
}
