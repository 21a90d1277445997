using System.Security.Cryptography;

namespace Bulwark.Identity.Tokens;

/// <summary>
/// Loads the token-signing key from a PKCS#8 PEM file, generating it on first start. The file is created
/// readable and writable by the owner only (0600); it is not encrypted at rest.
/// </summary>
public static class SigningKeyStore
{
    public static TokenSigningKey LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var pem = fresh.ExportPkcs8PrivateKeyPem();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var writer = new StreamWriter(path, options);
                writer.Write(pem);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            return new TokenSigningKey(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
