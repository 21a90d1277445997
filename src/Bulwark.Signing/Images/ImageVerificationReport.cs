namespace Bulwark.Signing.Images;

/// <summary>What <see cref="ImageVerifier"/> found for one image and one key.</summary>
public sealed record ImageVerificationReport(string Reference, string ManifestDigest, string KeyFingerprint, IReadOnlyList<SignatureCheck> Signatures)
{
    /// <summary>At least one signature, in either form, verified with the key over this image's digest.</summary>
    public bool Verified => Signatures.Any(s => s.Verified);

    public IReadOnlyList<SignatureForm> VerifiedForms => [.. Signatures.Where(s => s.Verified).Select(s => s.Form).Distinct().Order()];
}
