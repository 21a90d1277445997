using System.Security.Cryptography;

namespace Bulwark.Signing.Keys;

/// <summary>
/// An ECDSA P-256 private key that signs with SHA-256 and writes ASN.1 DER signatures, as cosign does. Read from the
/// cosign/Sigstore encrypted format, from PKCS#8 PEM (plain or encrypted, PBES2) or from SEC1 <c>EC PRIVATE KEY</c> PEM.
/// </summary>
public sealed class SigningKey : IDisposable
{
    /// <summary>Bound on key text read from a file: real keys are well under 2 KiB.</summary>
    public const int MaxPemLength = 64 * 1024;

    private readonly ECDsa key;

    private SigningKey(ECDsa key)
    {
        this.key = key;
        PublicKey = VerificationKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
    }

    public VerificationKey PublicKey { get; }

    public static SigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Wraps PKCS#8 DER (the plaintext of every encrypted form).</summary>
    public static SigningKey FromPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out var read);
            if (read != pkcs8.Length)
            {
                throw new KeyFormatException(KeyError.Malformed, "private key: trailing bytes after the PKCS#8 structure");
            }

            return new SigningKey(EnsureP256(ecdsa));
        }
        catch (CryptographicException)
        {
            ecdsa.Dispose();
            throw new KeyFormatException(KeyError.Unsupported, "private key: not an ECDSA key in PKCS#8 (Bulwark signs with ECDSA P-256)");
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>Reads any supported PEM form; <paramref name="passphrase"/> is needed for the encrypted ones.</summary>
    /// <exception cref="KeyFormatException">Bad PEM, wrong or missing passphrase, or not a P-256 key.</exception>
    public static SigningKey FromPem(string pem, string? passphrase)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Length > MaxPemLength || !PemEncoding.TryFind(pem, out var fields))
        {
            throw new KeyFormatException(KeyError.Malformed, "private key: not a PEM key");
        }

        var label = pem[fields.Label];
        byte[] body;
        try
        {
            body = Convert.FromBase64String(pem[fields.Base64Data]);
        }
        catch (FormatException)
        {
            throw new KeyFormatException(KeyError.Malformed, "private key: the PEM body is not base64");
        }

        switch (label)
        {
            case SigstoreEncryptedKey.PemLabel or SigstoreEncryptedKey.CosignPemLabel:
                {
                    var pkcs8 = SigstoreEncryptedKey.Decrypt(body, passphrase ?? throw PassphraseRequired());
                    try
                    {
                        return FromPkcs8(pkcs8);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(pkcs8);
                    }
                }

            case "PRIVATE KEY":
                return FromPkcs8(body);
            case "ENCRYPTED PRIVATE KEY":
                {
                    var secret = passphrase ?? throw PassphraseRequired();
                    var ecdsa = ECDsa.Create();
                    try
                    {
                        ecdsa.ImportEncryptedPkcs8PrivateKey(secret, body, out _);
                        return new SigningKey(EnsureP256(ecdsa));
                    }
                    catch (CryptographicException)
                    {
                        ecdsa.Dispose();
                        // PBES2 has no integrity check of its own: a wrong passphrase shows as undecodable plaintext.
                        throw new KeyFormatException(KeyError.WrongPassphrase, "private key: wrong passphrase, or not an encrypted ECDSA PKCS#8 key");
                    }
                    catch
                    {
                        ecdsa.Dispose();
                        throw;
                    }
                }

            case "EC PRIVATE KEY":
                {
                    var ecdsa = ECDsa.Create();
                    try
                    {
                        ecdsa.ImportECPrivateKey(body, out _);
                        return new SigningKey(EnsureP256(ecdsa));
                    }
                    catch (CryptographicException)
                    {
                        ecdsa.Dispose();
                        throw new KeyFormatException(KeyError.Malformed, "private key: the EC PRIVATE KEY structure does not parse");
                    }
                    catch
                    {
                        ecdsa.Dispose();
                        throw;
                    }
                }

            default:
                throw new KeyFormatException(KeyError.Unsupported, $"private key: PEM type '{label}' is not a private key Bulwark reads");
        }
    }

    /// <summary>PKCS#8 DER of the private key; the caller clears it after use.</summary>
    public byte[] ExportPkcs8() => key.ExportPkcs8PrivateKey();

    /// <summary>The key in the cosign/Sigstore encrypted PEM format.</summary>
    public string ExportEncryptedPem(string passphrase)
    {
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            return SigstoreEncryptedKey.Encrypt(pkcs8, passphrase);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>ECDSA P-256 over SHA-256(<paramref name="data"/>), ASN.1 DER encoded (cosign's signature encoding).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose() => key.Dispose();

    private static KeyFormatException PassphraseRequired() =>
        new(KeyError.PassphraseRequired, "private key: the key is encrypted and no passphrase was given");

    private static ECDsa EnsureP256(ECDsa ecdsa)
    {
        if (ecdsa.KeySize != 256 || ecdsa.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            ecdsa.Dispose();
            throw new KeyFormatException(KeyError.Unsupported, "private key: only ECDSA P-256 keys are supported");
        }

        return ecdsa;
    }
}
