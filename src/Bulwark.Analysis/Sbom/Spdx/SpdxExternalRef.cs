using System.Text.Json.Serialization;

namespace Bulwark.Analysis.Sbom.Spdx;

/// <summary>An external reference; Bulwark writes the package URL (<c>PACKAGE-MANAGER</c>/<c>purl</c>).</summary>
public sealed record SpdxExternalRef(
    [property: JsonPropertyName("referenceCategory")] string ReferenceCategory,
    [property: JsonPropertyName("referenceType")] string ReferenceType,
    [property: JsonPropertyName("referenceLocator")] string ReferenceLocator);
