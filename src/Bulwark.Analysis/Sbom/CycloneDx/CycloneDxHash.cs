using System.Text.Json.Serialization;

namespace Bulwark.Analysis.Sbom.CycloneDx;

/// <summary>A hash: <c>alg</c> (<c>SHA-256</c>…) and hex <c>content</c>.</summary>
public sealed record CycloneDxHash(
    [property: JsonPropertyName("alg")] string Algorithm,
    [property: JsonPropertyName("content")] string Content);
