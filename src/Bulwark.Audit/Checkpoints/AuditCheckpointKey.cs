using System.Security.Cryptography;

namespace Bulwark.Audit.Checkpoints;

/// <summary>
/// The ECDSA P-256 key that signs checkpoints, kept as a PKCS#8 PEM file readable only by its owner (0600).
/// Created on first use; an existing file that others can read is refused rather than used.
/// </summary>
public sealed class AuditCheckpointKey : IDisposable
{
    private readonly ECDsa _key;

    private AuditCheckpointKey(ECDsa key)
    {
        _key = key;
        KeyId = ComputeKeyId(key);
    }

    public string KeyId { get; }

    /// <summary>The public key as a PEM SubjectPublicKeyInfo, for <c>bulwark audit verify --public-key</c>.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>A public-only copy of the key.</summary>
    public ECDsa PublicKey()
    {
        var copy = ECDsa.Create();
        copy.ImportSubjectPublicKeyInfo(_key.ExportSubjectPublicKeyInfo(), out _);
        return copy;
    }

    public string Sign(byte[] payload) =>
        Convert.ToBase64String(_key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <summary>Loads the key at <paramref name="path"/>, creating it (and its directory, 0700) if there is none.</summary>
    /// <exception cref="InvalidOperationException">The file is readable by group or others, or is not a P-256 key.</exception>
    public static AuditCheckpointKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Create(path);
        }

        return Load(path);
    }

    /// <summary>Loads an existing key, or returns null when there is no key file.</summary>
    public static AuditCheckpointKey? LoadIfExists(string path) => File.Exists(path) ? Load(path) : null;

    /// <summary>Reads a PEM public key (SubjectPublicKeyInfo) as written by <see cref="PublicKeyPem"/>.</summary>
    /// <exception cref="ArgumentException">The text is not a P-256 public key.</exception>
    public static ECDsa ImportPublicKeyPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new ArgumentException("the checkpoint public key is not a P-256 key", nameof(pem));
            }

            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new ArgumentException($"not a PEM EC public key: {e.Message}", nameof(pem), e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static string ComputeKeyId(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    private static AuditCheckpointKey Load(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                throw new InvalidOperationException($"the audit checkpoint key {path} is accessible to other users; make it mode 0600");
            }
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256)
            {
                throw new InvalidOperationException($"the audit checkpoint key {path} is not a P-256 key");
            }

            return new AuditCheckpointKey(key);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new InvalidOperationException($"the audit checkpoint key {path} cannot be read: {e.Message}", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static void Create(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600 from the start: the key is never readable by others, not even briefly.
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, fileOptions))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(key.ExportPkcs8PrivateKeyPem());
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            // Another process may have created the key meanwhile; theirs wins and this one is discarded.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public void Dispose() => _key.Dispose();
}
