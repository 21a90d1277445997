using System.Text.Json.Serialization;

namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>A CycloneDX 1.6 BOM (JSON), the subset Bulwark writes: metadata, components, dependencies, vulnerabilities.</summary>
public sealed record CycloneDxBom
{
    [JsonPropertyName("$schema")]
    public string Schema { get; init; } = "http://cyclonedx.org/schema/bom-1.6.schema.json";

    public string BomFormat { get; init; } = "CycloneDX";

    public string SpecVersion { get; init; } = "1.6";

    /// <summary><c>urn:uuid:…</c> (RFC 4122).</summary>
    public required string SerialNumber { get; init; }

    public int Version { get; init; } = 1;

    public required CycloneDxMetadata Metadata { get; init; }

    public IReadOnlyList<CycloneDxComponent>? Components { get; init; }

    public IReadOnlyList<CycloneDxDependency>? Dependencies { get; init; }

    /// <summary>Filled by the scanner for "CycloneDX with vulnerabilities"; null (omitted) in a plain SBOM.</summary>
    public IReadOnlyList<CycloneDxVulnerability>? Vulnerabilities { get; init; }
}
