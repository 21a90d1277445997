using Bulwark.Oci;

namespace Bulwark.Registry.Manifests;

/// <summary>A manifest as stored: what a GET or HEAD needs to answer.</summary>
public sealed record StoredManifest(string Repository, Digest Digest, string MediaType, long Size, string? SubjectDigest);
