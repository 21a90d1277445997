namespace Bulwark.Registry.Metadata;

/// <summary>One piece of content a manifest references: a config or layer blob, or a child manifest of an index.</summary>
public sealed class ManifestReferenceEntity
{
    public long RepositoryId { get; set; }

    public required string ManifestDigest { get; set; }

    public required string ReferencedDigest { get; set; }

    /// <summary>True when the referenced content is a manifest (index child), false for a blob.</summary>
    public bool IsManifest { get; set; }
}
