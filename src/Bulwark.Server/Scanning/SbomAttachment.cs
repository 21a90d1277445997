namespace Bulwark.Server.Scanning;

/// <summary>An SBOM attached to an image as an OCI referrer artifact.</summary>
public sealed record SbomAttachment(string Digest, string ArtifactType, bool Created);
