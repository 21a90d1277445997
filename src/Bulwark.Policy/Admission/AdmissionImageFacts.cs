using Bulwark.Oci;

namespace Bulwark.Policy.Admission;

/// <summary>What the registry knows about one image reference on it.</summary>
/// <param name="Digest">The manifest digest the reference resolves to (tag → digest, or the digest itself when it exists); null when not found.</param>
/// <param name="Decision">The scan/policy verdict for that digest.</param>
/// <param name="Reasons">Why the decision is what it is (failed rules, "scan pending"…); may be empty.</param>
/// <param name="SignatureVerified">True when a signature was verified, false when verification failed or found none, null when not checked.</param>
public sealed record AdmissionImageFacts(Digest? Digest, ImageDecision Decision, IReadOnlyList<string> Reasons, bool? SignatureVerified)
{
    /// <summary>
    /// Why the signature check gave <see cref="SignatureVerified"/>: for a failure the first reason is one phrase
    /// (<c>no signature found for …</c>, <c>signed, but by no trusted key: …</c>, <c>signature does not match the digest: …</c>…)
    /// and the next ones name each signature that did not verify; for a pass, who signed.
    /// </summary>
    public IReadOnlyList<string> SignatureReasons { get; init; } = [];

    /// <summary>The reference does not exist on the registry.</summary>
    public static AdmissionImageFacts NotFound { get; } = new(null, ImageDecision.Unknown, [], null);
}
