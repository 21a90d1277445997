namespace Bulwark.Policy.Images;

/// <summary>
/// A signature or attestation found for an image, as stored (the evaluator verifies it against the policy's keys;
/// finding it proves nothing). <see cref="Location"/> says where it was found, for reasons.
/// </summary>
public abstract record SignedMaterial(string Location);

/// <summary>A cosign simple-signing payload and its signature (a layer of the <c>sha256-&lt;hex&gt;.sig</c> manifest).</summary>
public sealed record SimpleSigningMaterial(string Location, byte[] Payload, byte[] Signature) : SignedMaterial(Location);

/// <summary>A Sigstore bundle (JSON) from a referrer of the image: DSSE over an in-toto statement, or a message signature.</summary>
public sealed record SigstoreBundleMaterial(string Location, byte[] Bundle) : SignedMaterial(Location);

/// <summary>A bare DSSE envelope (JSON) over an in-toto statement, as cosign stores attestations under <c>sha256-&lt;hex&gt;.att</c>.</summary>
public sealed record DsseEnvelopeMaterial(string Location, byte[] Envelope) : SignedMaterial(Location);
