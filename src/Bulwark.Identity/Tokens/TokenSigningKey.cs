using System.Buffers.Text;
using System.Security.Cryptography;

namespace Bulwark.Identity.Tokens;

/// <summary>The ES256 (ECDSA P-256, SHA-256) key that signs and verifies access tokens, and its JWS <c>kid</c>.</summary>
public sealed class TokenSigningKey : IDisposable
{
    public TokenSigningKey(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeySize != 256)
        {
            throw new CryptographicException("the token signing key must be an ECDSA P-256 key");
        }

        Key = key;
        // kid: a short fingerprint of the public key, so a rotated key is told apart without trying it.
        KeyId = Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 12));
    }

    public ECDsa Key { get; }

    public string KeyId { get; }

    public static TokenSigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public void Dispose() => Key.Dispose();
}
