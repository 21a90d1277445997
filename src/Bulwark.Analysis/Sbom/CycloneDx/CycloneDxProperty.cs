using System.Text.Json.Serialization;

namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>A name/value pair; Bulwark's names start with <c>bulwark:</c>.</summary>
public sealed record CycloneDxProperty(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string Value);
