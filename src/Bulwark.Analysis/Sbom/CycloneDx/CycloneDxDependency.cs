namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>One node of the dependency graph: a component's <c>bom-ref</c> and those it depends on directly.</summary>
public sealed record CycloneDxDependency
{
    public required string Ref { get; init; }

    public IReadOnlyList<string>? DependsOn { get; init; }
}
