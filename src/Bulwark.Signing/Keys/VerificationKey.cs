using System.Security.Cryptography;

namespace Bulwark.Signing.Keys;

/// <summary>
/// An ECDSA P-256 public key (PEM <c>PUBLIC KEY</c>, i.e. SubjectPublicKeyInfo) that verifies SHA-256 signatures in DER
/// or raw r||s form. Its <see cref="Fingerprint"/> is the hex SHA-256 of the SubjectPublicKeyInfo DER, and its
/// <see cref="Hint"/> the base64 of the same hash, as Sigstore bundles carry in <c>verificationMaterial.publicKey.hint</c>.
/// </summary>
public sealed class VerificationKey
{
    private readonly byte[] spki;

    private VerificationKey(byte[] spki)
    {
        this.spki = spki;
        var hash = SHA256.HashData(spki);
        Fingerprint = "sha256:" + Convert.ToHexStringLower(hash);
        Hint = Convert.ToBase64String(hash);
    }

    public string Fingerprint { get; }

    public string Hint { get; }

    public ReadOnlySpan<byte> SubjectPublicKeyInfo => spki;

    /// <exception cref="KeyFormatException">Not a P-256 SubjectPublicKeyInfo, or a point that is not on the curve.</exception>
    public static VerificationKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> der)
    {
        using var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(der, out var read);
            if (read != der.Length)
            {
                throw new KeyFormatException(KeyError.Malformed, "public key: trailing bytes after the SubjectPublicKeyInfo");
            }
        }
        catch (CryptographicException)
        {
            throw new KeyFormatException(KeyError.Malformed, "public key: not a valid ECDSA SubjectPublicKeyInfo");
        }

        if (ecdsa.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new KeyFormatException(KeyError.Unsupported, "public key: only ECDSA P-256 keys are supported");
        }

        return new VerificationKey(ecdsa.ExportSubjectPublicKeyInfo());
    }

    /// <exception cref="KeyFormatException">Not PEM, not a PUBLIC KEY, or not a usable P-256 key.</exception>
    public static VerificationKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Length > SigningKey.MaxPemLength || !PemEncoding.TryFind(pem, out var fields))
        {
            throw new KeyFormatException(KeyError.Malformed, "public key: not a PEM key");
        }

        if (pem[fields.Label] is not "PUBLIC KEY")
        {
            throw new KeyFormatException(KeyError.Unsupported, $"public key: PEM type '{pem[fields.Label]}' is not PUBLIC KEY");
        }

        byte[] der;
        try
        {
            der = Convert.FromBase64String(pem[fields.Base64Data]);
        }
        catch (FormatException)
        {
            throw new KeyFormatException(KeyError.Malformed, "public key: the PEM body is not base64");
        }

        return FromSubjectPublicKeyInfo(der);
    }

    public string ToPem() => PemEncoding.WriteString("PUBLIC KEY", spki) + "\n";

    /// <summary>True when <paramref name="signature"/> (DER, or raw 64-byte r||s) signs SHA-256(<paramref name="data"/>).</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, digest);
        return VerifyDigest(digest, signature);
    }

    /// <summary>True when <paramref name="signature"/> signs the SHA-256 <paramref name="digest"/> of a message.</summary>
    public bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        if (digest.Length != SHA256.HashSizeInBytes || signature.Length is 0 or > 256)
        {
            return false;
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
        // cosign writes DER; some signers write the fixed-size r||s form, which is exactly 64 bytes for P-256.
        return ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence)
            || (signature.Length == 64 && ecdsa.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }
}
