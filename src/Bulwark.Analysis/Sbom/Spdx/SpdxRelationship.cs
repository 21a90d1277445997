using System.Text.Json.Serialization;

namespace Bulwark.Analysis.Sbom.Spdx;

/// <summary>An edge between two elements: <c>DESCRIBES</c>, <c>CONTAINS</c>, <c>DEPENDS_ON</c>….</summary>
public sealed record SpdxRelationship(
    [property: JsonPropertyName("spdxElementId")] string SpdxElementId,
    [property: JsonPropertyName("relationshipType")] string RelationshipType,
    [property: JsonPropertyName("relatedSpdxElement")] string RelatedSpdxElement);
