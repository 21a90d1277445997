namespace Bulwark.Policy.Images;

/// <summary>
/// <c>provenance</c>: a SLSA provenance attestation (in-toto statement with predicate type
/// <c>https://slsa.dev/provenance/v0.2</c> or <c>/v1</c>) about the image's digest, signed by one of <see cref="Keys"/>.
/// </summary>
public sealed record ProvenanceRequirement(IReadOnlyList<TrustedKey> Keys);
