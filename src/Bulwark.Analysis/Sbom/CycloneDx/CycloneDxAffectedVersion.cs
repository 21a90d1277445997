namespace Bulwark.Analysis.Sbom.CycloneDx;

public sealed record CycloneDxAffectedVersion
{
    public string? Version { get; init; }

    public string? Range { get; init; }

    /// <summary><c>affected</c>, <c>unaffected</c>, <c>unknown</c>.</summary>
    public string? Status { get; init; }
}
