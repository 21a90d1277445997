using System.Text.Json.Serialization;

namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>A component: the image, its operating system, a package, a tool.</summary>
public sealed record CycloneDxComponent
{
    /// <summary><c>application</c>, <c>container</c>, <c>library</c>, <c>operating-system</c>… (<see cref="CycloneDxComponentTypes"/>).</summary>
    public required string Type { get; init; }

    [JsonPropertyName("bom-ref")]
    public string? BomRef { get; init; }

    public string? Group { get; init; }

    public required string Name { get; init; }

    public string? Version { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<CycloneDxHash>? Hashes { get; init; }

    public IReadOnlyList<CycloneDxLicenseChoice>? Licenses { get; init; }

    public string? Purl { get; init; }

    public IReadOnlyList<CycloneDxProperty>? Properties { get; init; }
}
