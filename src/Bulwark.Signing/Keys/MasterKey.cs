using System.Security.Cryptography;

namespace Bulwark.Signing.Keys;

/// <summary>
/// The 256-bit key that encrypts stored signing keys, read from a file (32 raw bytes, or base64 text) or from an
/// environment variable (base64). Its <see cref="Id"/> (a hash prefix) is stored with each key so that a key encrypted
/// under another master key is reported as such rather than as corruption.
/// </summary>
public sealed class MasterKey
{
    public const string EnvironmentVariable = "BULWARK_MASTER_KEY";
    public const int Size = 32;

    private MasterKey(byte[] key)
    {
        Key = key;
        Id = Convert.ToHexStringLower(SHA256.HashData([.. "bulwark master key id"u8, .. key]))[..16];
    }

    internal byte[] Key { get; }

    public string Id { get; }

    public static MasterKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    public static MasterKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == Size ? new MasterKey(key.ToArray()) : throw new KeyFormatException(KeyError.Malformed, $"master key must be {Size} bytes");

    public static MasterKey FromBase64(string text)
    {
        try
        {
            return FromBytes(Convert.FromBase64String(text.Trim()));
        }
        catch (FormatException)
        {
            throw new KeyFormatException(KeyError.Malformed, "master key is not base64");
        }
    }

    public static async Task<MasterKey> FromFileAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length > 1024)
        {
            throw new KeyFormatException(KeyError.Malformed, $"master key file '{path}' is missing or too large");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return bytes.Length == Size ? FromBytes(bytes) : FromBase64(System.Text.Encoding.ASCII.GetString(bytes));
    }

    /// <summary>The master key from <see cref="EnvironmentVariable"/>, or null when it is not set.</summary>
    public static MasterKey? FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? FromBase64(value) : null;
}
