namespace Bulwark.Registry.Metadata;

/// <summary>
/// Grants a repository access to a blob. A blob is readable through a repository only if this link exists,
/// so knowing a digest never exposes another repository's content.
/// </summary>
public sealed class RepositoryBlobEntity
{
    public long RepositoryId { get; set; }

    public required string Digest { get; set; }

    public DateTimeOffset LinkedAt { get; set; }
}
