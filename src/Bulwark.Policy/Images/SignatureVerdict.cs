namespace Bulwark.Policy.Images;

/// <summary>What checking one found signature against one trusted key and the image digest gave.</summary>
internal enum SignatureVerdict
{
    /// <summary>Signed by the key, for this digest.</summary>
    Verified,

    /// <summary>Not a signature by this key (or not a signature at all, e.g. an attestation's statement).</summary>
    NotThisKey,

    /// <summary>Signed by the key, but for another digest.</summary>
    OtherDigest,

    /// <summary>Malformed, or its transparency log entry does not hold.</summary>
    Invalid,
}
