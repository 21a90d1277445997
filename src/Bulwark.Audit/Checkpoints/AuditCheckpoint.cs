using System.Security.Cryptography;
using Bulwark.Audit.Records;

namespace Bulwark.Audit.Checkpoints;

/// <summary>
/// A signed statement that record <see cref="Sequence"/> of the chain had hash <see cref="HeadHash"/> at
/// <see cref="Time"/>. Kept outside the database (<c>bulwark audit checkpoint -o</c>), it proves later that
/// no record up to it was changed and that the log was not cut short.
/// </summary>
/// <param name="KeyId">Lower-case hex SHA-256 of the signing key's SubjectPublicKeyInfo (DER).</param>
/// <param name="Signature">Base64 ECDSA P-256 / SHA-256 signature (DER, RFC 3279) over
/// <see cref="AuditCanonicalForm.SerializeCheckpointPayload"/>.</param>
public sealed record AuditCheckpoint(long Sequence, string HeadHash, DateTimeOffset Time, string KeyId, string Signature)
{
    public byte[] Payload() => AuditCanonicalForm.SerializeCheckpointPayload(Sequence, HeadHash, Time);

    /// <summary>Whether <paramref name="publicKey"/> signed this checkpoint (its key id must match too).</summary>
    public bool IsSignedBy(ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!string.Equals(KeyId, AuditCheckpointKey.ComputeKeyId(publicKey), StringComparison.Ordinal))
        {
            return false;
        }

        var signature = new byte[Signature.Length];
        return Convert.TryFromBase64String(Signature, signature, out var length)
            && publicKey.VerifyData(Payload(), signature.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }
}
