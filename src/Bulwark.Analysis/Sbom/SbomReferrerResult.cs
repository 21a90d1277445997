namespace Bulwark.Analysis.Sbom;

/// <summary>An attached SBOM: the artifact manifest's digest and size, its artifact type, the image manifest it refers to.</summary>
/// <param name="UsedReferrersTag">True when the registry did not answer with <c>OCI-Subject</c> (no referrers API), so the
/// referrers tag <c>sha256-HEX</c> was updated instead, as distribution-spec asks of clients.</param>
public sealed record SbomReferrerResult(string ManifestDigest, long ManifestSize, string ArtifactType, string SubjectDigest, bool UsedReferrersTag);
