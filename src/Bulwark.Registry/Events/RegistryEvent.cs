namespace Bulwark.Registry.Events;

/// <summary>What happened in the registry; published after the change has been committed.</summary>
public enum RegistryEventKind
{
    /// <summary>A manifest was stored (by tag or digest); <see cref="RegistryEvent.PreviousDigest"/> tells whether a tag was created or moved.</summary>
    ManifestPushed,

    /// <summary>A manifest was deleted by digest, with its tags.</summary>
    ManifestDeleted,

    /// <summary>A tag was deleted; the manifest stays.</summary>
    TagDeleted,

    /// <summary>A blob was linked into a repository from another one (cross-repository mount).</summary>
    BlobMounted,

    /// <summary>A blob was unlinked from a repository.</summary>
    BlobDeleted,

    /// <summary>A manifest was downloaded (GET, not HEAD); only published when a sink asks for pulls.</summary>
    ManifestPulled,
}

/// <summary>One registry change, as the HTTP layer saw it succeed.</summary>
public sealed record RegistryEvent
{
    public required RegistryEventKind Kind { get; init; }

    public required string Repository { get; init; }

    /// <summary>The manifest or blob digest; null for a tag deletion.</summary>
    public string? Digest { get; init; }

    /// <summary>The tag pushed, deleted or pulled; null when the reference was a digest.</summary>
    public string? Tag { get; init; }

    public string? MediaType { get; init; }

    /// <summary>For a push by tag: the digest the tag pointed to before (null for a new tag; another digest: the tag moved).</summary>
    public string? PreviousDigest { get; init; }

    /// <summary>For a mount: the repository the blob came from.</summary>
    public string? SourceRepository { get; init; }

    /// <summary>For a push: the manifest's subject (a signature, SBOM or other referrer).</summary>
    public string? SubjectDigest { get; init; }
}
