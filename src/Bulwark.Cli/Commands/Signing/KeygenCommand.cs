using System.CommandLine;
using Bulwark.Signing.Keys;

namespace Bulwark.Cli.Commands.Signing;

/// <summary>
/// <c>bulwark keygen --out PREFIX</c>: a new ECDSA P-256 key pair, <c>PREFIX.key</c> in the cosign/Sigstore encrypted
/// format (owner-only) and <c>PREFIX.pub</c> as PEM SubjectPublicKeyInfo. Existing files are never overwritten.
/// </summary>
internal static class KeygenCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Path prefix: writes PREFIX.key and PREFIX.pub", Required = true };
        var command = new Command("keygen", "Create a signing key pair (cosign-compatible encrypted private key)") { output };
        command.SetAction(async (result, cancellationToken) =>
        {
            var prefix = result.GetValue(output)!;
            try
            {
                var (keyPath, publicPath) = (prefix + ".key", prefix + ".pub");
                if (File.Exists(keyPath) || File.Exists(publicPath))
                {
                    throw new SigningUsageException($"{keyPath} or {publicPath} already exists; not overwriting");
                }

                var passphrase = KeyPassphrase.Read(confirm: true);
                using var key = SigningKey.Generate();
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                await using (var file = new StreamWriter(keyPath, options))
                {
                    await file.WriteAsync(key.ExportEncryptedPem(passphrase).AsMemory(), cancellationToken);
                }

                await File.WriteAllTextAsync(publicPath, key.PublicKey.ToPem(), cancellationToken);
                Console.WriteLine($"Private key written to {keyPath}");
                Console.WriteLine($"Public key written to {publicPath} ({key.PublicKey.Fingerprint})");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is SigningUsageException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"bulwark keygen: {e.Message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }
}
