namespace Bulwark.Signing.Images;

/// <summary>What <see cref="ImageSigner"/> stored: the signed digest, the <c>.sig</c> tag and the referrer manifest.</summary>
public sealed record ImageSignature(string ManifestDigest, string SignatureTag, string ReferrerDigest, bool UsedReferrersTag);
