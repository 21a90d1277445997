namespace Bulwark.Identity.Permissions;

/// <summary>
/// What a principal may do to a repository. <c>content</c> is the bytes (blobs and manifests),
/// <c>metadata</c> is what describes them (tag lists, referrers, and later scan results and policy state).
/// </summary>
[Flags]
public enum RegistryActions
{
    None = 0,

    /// <summary><c>content/read</c>: pull blobs and manifests.</summary>
    ContentRead = 1,

    /// <summary><c>content/write</c>: push blobs and manifests (which also creates or moves the pushed tag).</summary>
    ContentWrite = 2,

    /// <summary><c>content/delete</c>: delete blobs, manifests and tags.</summary>
    ContentDelete = 4,

    /// <summary><c>metadata/read</c>: list tags and referrers; see the repository in the catalog.</summary>
    MetadataRead = 8,

    /// <summary><c>metadata/write</c>: change repository metadata (reserved for scan, policy and quarantine state).</summary>
    MetadataWrite = 16,

    /// <summary>
    /// <c>quarantine/read</c>: also pull images that are quarantined (not yet scanned, or failing their policy). Held by
    /// the <c>quarantine-reader</c> role and system admins; not part of <see cref="All"/>, so a repository <c>admin</c>
    /// or a pusher cannot read its own image before it passes.
    /// </summary>
    QuarantineRead = 32,

    /// <summary>Every repository action except <see cref="QuarantineRead"/>.</summary>
    All = ContentRead | ContentWrite | ContentDelete | MetadataRead | MetadataWrite,
}
