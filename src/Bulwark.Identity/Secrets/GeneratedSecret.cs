using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Identity.Secrets;

/// <summary>
/// Secrets Bulwark generates (service-principal and token secrets, refresh tokens): 256 random bits,
/// base64url, with a recognisable prefix for secret scanners. They are stored as SHA-256 hashes: a slow
/// password hash adds nothing against guessing 256 random bits, and would make every Basic request cost
/// an Argon2 run.
/// </summary>
public static class GeneratedSecret
{
    public const string Prefix = "bwk_";

    public static string Create() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form: lower-case hex SHA-256 of the UTF-8 secret.</summary>
    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="storedHash"/>, compared in constant time.</summary>
    public static bool Verify(string secret, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(storedHash);
        return SecretEquality.Matches(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
    }
}
