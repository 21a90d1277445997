using System.Security.Cryptography;

namespace Bulwark.Identity.Secrets;

/// <summary>The one place secrets and their hashes are compared: always in constant time.</summary>
public static class SecretEquality
{
    public static bool Matches(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual) =>
        CryptographicOperations.FixedTimeEquals(expected, actual);
}
