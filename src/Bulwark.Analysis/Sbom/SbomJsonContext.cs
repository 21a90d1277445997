using System.Text.Json.Serialization;
using Bulwark.Analysis.Sbom.CycloneDx;
using Bulwark.Analysis.Sbom.Spdx;

namespace Bulwark.Analysis.Sbom;

/// <summary>Source-generated JSON for the SBOM models: camelCase, nulls left out, indented.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(CycloneDxBom))]
[JsonSerializable(typeof(SpdxDocument))]
internal sealed partial class SbomJsonContext : JsonSerializerContext;
