namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>When and by what the BOM was made, and what it describes.</summary>
public sealed record CycloneDxMetadata
{
    /// <summary>ISO 8601 date-time, UTC.</summary>
    public required string Timestamp { get; init; }

    public CycloneDxTools? Tools { get; init; }

    /// <summary>What the BOM describes: the image (type <c>container</c>).</summary>
    public CycloneDxComponent? Component { get; init; }

    public IReadOnlyList<CycloneDxProperty>? Properties { get; init; }
}
