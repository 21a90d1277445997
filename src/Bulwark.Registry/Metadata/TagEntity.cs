namespace Bulwark.Registry.Metadata;

/// <summary>A tag: a movable name for a manifest digest within a repository.</summary>
public sealed class TagEntity
{
    public long RepositoryId { get; set; }

    public required string Name { get; set; }

    public required string ManifestDigest { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
