namespace Bulwark.Analysis.Sbom.CycloneDx;

public sealed record CycloneDxRating
{
    public CycloneDxSource? Source { get; init; }

    public double? Score { get; init; }

    /// <summary><c>critical</c>, <c>high</c>, <c>medium</c>, <c>low</c>, <c>info</c>, <c>none</c>, <c>unknown</c>.</summary>
    public string? Severity { get; init; }

    /// <summary><c>CVSSv2</c>, <c>CVSSv3</c>, <c>CVSSv31</c>, <c>CVSSv4</c>, <c>OWASP</c>, <c>SSVC</c>, <c>other</c>.</summary>
    public string? Method { get; init; }

    public string? Vector { get; init; }
}
