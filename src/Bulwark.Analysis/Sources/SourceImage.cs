using Bulwark.Oci;

namespace Bulwark.Analysis.Sources;

/// <summary>One image (one platform) as a source presents it: identity, config and layers in order.</summary>
public sealed record SourceImage
{
    /// <summary>What the caller asked for (reference or path).</summary>
    public required string Source { get; init; }

    public string? ManifestDigest { get; init; }

    public string? ConfigDigest { get; init; }

    public Platform? Platform { get; init; }

    public ImageConfig? Config { get; init; }

    public required IReadOnlyList<ISourceLayer> Layers { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
