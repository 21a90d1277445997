namespace Bulwark.Analysis.Sbom.Spdx;

/// <summary>A remark about an element; Bulwark uses it for the <c>bulwark:</c> properties (layer, source package…).</summary>
public sealed record SpdxAnnotation
{
    public required string AnnotationDate { get; init; }

    public string AnnotationType { get; init; } = "OTHER";

    /// <summary><c>Tool: bulwark-1.2.3</c>.</summary>
    public required string Annotator { get; init; }

    public required string Comment { get; init; }
}
