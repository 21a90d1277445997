using Bulwark.Oci;

namespace Bulwark.Registry.Manifests;

/// <summary>A manifest as stored: what a GET or HEAD needs to answer.</summary>
public sealed record StoredManifest(string Repository, Digest Digest, string MediaType, long Size, string? SubjectDigest)
{
    /// <summary>After a push by tag: the digest the tag pointed to before; null for a new tag. Another digest means the tag moved.</summary>
    public string? PreviousTagDigest { get; init; }
}
