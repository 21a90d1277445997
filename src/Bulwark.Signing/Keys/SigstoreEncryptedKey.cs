using System.Security.Cryptography;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Generators;

namespace Bulwark.Signing.Keys;

/// <summary>
/// The encrypted private key format of cosign and Sigstore (<c>-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----</c>, older
/// cosign: <c>ENCRYPTED COSIGN PRIVATE KEY</c>): the PEM body is the JSON of go-securesystemslib's <c>encrypted</c>
/// package, <c>{"kdf":{"name":"scrypt","params":{"N","r","p"},"salt"},"cipher":{"name":"nacl/secretbox","nonce"},
/// "ciphertext"}</c> (byte fields in standard base64), and the plaintext is the PKCS#8 DER of the key.
/// </summary>
public static class SigstoreEncryptedKey
{
    public const string PemLabel = "ENCRYPTED SIGSTORE PRIVATE KEY";
    public const string CosignPemLabel = "ENCRYPTED COSIGN PRIVATE KEY";

    /// <summary>scrypt cost cosign writes (securesystemslib's "legacy" parameters, which every cosign and skopeo reads).</summary>
    public const int ScryptN = 32768;
    public const int ScryptR = 8;
    public const int ScryptP = 1;

    private const int SaltSize = 32;

    /// <summary>The parameter sets securesystemslib accepts; anything else could make key derivation arbitrarily costly.</summary>
    private static readonly (int N, int R, int P)[] AcceptedScrypt = [(32768, 8, 1), (65536, 8, 1), (131072, 8, 1)];

    /// <summary>The PEM text of <paramref name="pkcs8"/> encrypted under <paramref name="passphrase"/>.</summary>
    public static string Encrypt(ReadOnlySpan<byte> pkcs8, string passphrase)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var nonce = RandomNumberGenerator.GetBytes(SecretBox.NonceSize);
        var key = DeriveKey(passphrase, salt, ScryptN, ScryptR, ScryptP);
        var box = SecretBox.Seal(pkcs8, nonce, key);
        CryptographicOperations.ZeroMemory(key);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("kdf");
            json.WriteString("name", "scrypt");
            json.WriteStartObject("params");
            json.WriteNumber("N", ScryptN);
            json.WriteNumber("r", ScryptR);
            json.WriteNumber("p", ScryptP);
            json.WriteEndObject();
            json.WriteBase64String("salt", salt);
            json.WriteEndObject();
            json.WriteStartObject("cipher");
            json.WriteString("name", "nacl/secretbox");
            json.WriteBase64String("nonce", nonce);
            json.WriteEndObject();
            json.WriteBase64String("ciphertext", box);
            json.WriteEndObject();
        }

        return PemEncoding.WriteString(PemLabel, buffer.ToArray()) + "\n";
    }

    /// <summary>The PKCS#8 DER inside the JSON body of an encrypted Sigstore key.</summary>
    /// <exception cref="KeyFormatException">Malformed JSON, parameters outside the accepted sets, or a wrong passphrase.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> body, string passphrase)
    {
        byte[] salt, nonce, box;
        int n, r, p;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            var kdf = root.GetProperty("kdf");
            var cipher = root.GetProperty("cipher");
            if (kdf.GetProperty("name").GetString() != "scrypt" || cipher.GetProperty("name").GetString() != "nacl/secretbox")
            {
                throw new KeyFormatException(KeyError.Unsupported, "encrypted key: only scrypt with nacl/secretbox is supported");
            }

            var parameters = kdf.GetProperty("params");
            (n, r, p) = (parameters.GetProperty("N").GetInt32(), parameters.GetProperty("r").GetInt32(), parameters.GetProperty("p").GetInt32());
            salt = kdf.GetProperty("salt").GetBytesFromBase64();
            nonce = cipher.GetProperty("nonce").GetBytesFromBase64();
            box = root.GetProperty("ciphertext").GetBytesFromBase64();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new KeyFormatException(KeyError.Malformed, "encrypted key: the PEM body is not the scrypt/secretbox JSON cosign writes");
        }

        if (!AcceptedScrypt.Contains((n, r, p)))
        {
            throw new KeyFormatException(KeyError.Unsupported, $"encrypted key: scrypt parameters N={n}, r={r}, p={p} are not accepted");
        }

        if (nonce.Length != SecretBox.NonceSize || salt.Length == 0 || salt.Length > 1024)
        {
            throw new KeyFormatException(KeyError.Malformed, "encrypted key: bad nonce or salt length");
        }

        var key = DeriveKey(passphrase, salt, n, r, p);
        var plain = SecretBox.Open(box, nonce, key);
        CryptographicOperations.ZeroMemory(key);
        return plain ?? throw new KeyFormatException(KeyError.WrongPassphrase, "encrypted key: wrong passphrase (or the key was altered)");
    }

    private static byte[] DeriveKey(string passphrase, byte[] salt, int n, int r, int p) =>
        SCrypt.Generate(System.Text.Encoding.UTF8.GetBytes(passphrase), salt, n, r, p, SecretBox.KeySize);
}
