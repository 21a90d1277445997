namespace Bulwark.Registry.Metadata;

/// <summary>A manifest or index stored in a repository. Its bytes live in the blob store under its digest.</summary>
public sealed class ManifestEntity
{
    public long RepositoryId { get; set; }

    public required string Digest { get; set; }

    public required string MediaType { get; set; }

    public long Size { get; set; }

    /// <summary>The artifact type reported by the referrers API (artifactType, else config media type).</summary>
    public string? ArtifactType { get; set; }

    /// <summary>Digest of the manifest this one refers to (OCI 1.1 <c>subject</c>).</summary>
    public string? SubjectDigest { get; set; }

    /// <summary>Annotations as JSON, served in referrers responses.</summary>
    public string? AnnotationsJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
