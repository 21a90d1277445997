using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bulwark.Signing.Keys;

/// <summary>
/// Signing keys in a directory, one JSON file per key, the PKCS#8 DER sealed with AES-256-GCM under the
/// <see cref="MasterKey"/>. The key's name and format version are the associated data, so a file renamed to another
/// key's name does not open. Files are written to a temporary name and renamed, readable by the owner only.
/// </summary>
public sealed partial class AesGcmKeyProvider(string directory, MasterKey masterKey) : IKeyProvider
{
    private const int Version = 1;
    private const int MaxFileBytes = 16 * 1024;

    public async Task StoreAsync(string name, SigningKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var path = PathOf(name);
        Directory.CreateDirectory(directory);
        var pkcs8 = key.ExportPkcs8();
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[pkcs8.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(masterKey.Key, tag.Length))
        {
            aes.Encrypt(nonce, pkcs8, ciphertext, tag, AssociatedData(name));
        }

        CryptographicOperations.ZeroMemory(pkcs8);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteString("algorithm", "AES-256-GCM");
            json.WriteString("masterKeyId", masterKey.Id);
            json.WriteString("publicKeyFingerprint", key.PublicKey.Fingerprint);
            json.WriteBase64String("nonce", nonce);
            json.WriteBase64String("ciphertext", ciphertext);
            json.WriteBase64String("tag", tag);
            json.WriteEndObject();
        }

        var temporary = path + ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new FileStream(temporary, options))
        {
            await file.WriteAsync(buffer.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public async Task<SigningKey?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return null;
        }

        if (info.Length > MaxFileBytes)
        {
            throw new KeyFormatException(KeyError.Malformed, $"stored key '{name}' is larger than {MaxFileBytes} bytes");
        }

        var content = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        byte[] nonce, ciphertext, tag;
        string? keyId;
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != Version)
            {
                throw new KeyFormatException(KeyError.Unsupported, $"stored key '{name}' has an unknown format version");
            }

            keyId = root.GetProperty("masterKeyId").GetString();
            nonce = root.GetProperty("nonce").GetBytesFromBase64();
            ciphertext = root.GetProperty("ciphertext").GetBytesFromBase64();
            tag = root.GetProperty("tag").GetBytesFromBase64();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new KeyFormatException(KeyError.Malformed, $"stored key '{name}' is not a Bulwark key file");
        }

        if (keyId != masterKey.Id)
        {
            throw new KeyFormatException(KeyError.WrongPassphrase, $"stored key '{name}' was encrypted under another master key ({keyId})");
        }

        if (nonce.Length != AesGcm.NonceByteSizes.MaxSize || tag.Length != AesGcm.TagByteSizes.MaxSize)
        {
            throw new KeyFormatException(KeyError.Malformed, $"stored key '{name}' has a bad nonce or tag length");
        }

        var pkcs8 = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(masterKey.Key, tag.Length);
            aes.Decrypt(nonce, ciphertext, tag, pkcs8, AssociatedData(name));
            return SigningKey.FromPkcs8(pkcs8);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new KeyFormatException(KeyError.Malformed, $"stored key '{name}' does not authenticate (altered, or stored under another name)");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> names = Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, "*.key.json").Select(f => Path.GetFileName(f)[..^".key.json".Length]).Where(IsValidName).Order(StringComparer.Ordinal)]
            : [];
        return Task.FromResult(names);
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    /// <summary>Names become file names, so they are restricted to a safe alphabet: no separators, no dot-dot.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    private string PathOf(string name) =>
        IsValidName(name) ? Path.Combine(directory, name + ".key.json")
        : throw new ArgumentException($"key name '{name}' must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit", nameof(name));

    private static byte[] AssociatedData(string name) => Encoding.UTF8.GetBytes($"bulwark-signing-key/v{Version}/{name}");

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
