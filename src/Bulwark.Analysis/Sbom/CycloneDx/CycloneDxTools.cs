namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>CycloneDX 1.5+ tools form: <c>{"components": [...]}</c>.</summary>
public sealed record CycloneDxTools
{
    public IReadOnlyList<CycloneDxComponent>? Components { get; init; }
}
