using Bulwark.Analysis.Registry;
using Bulwark.Oci;
using Bulwark.Signing.Keys;

namespace Bulwark.Cli.Commands.Signing;

/// <summary>What sign and verify share: the image reference, the registry client, and reading key files.</summary>
internal static class SigningRegistry
{
    public static ImageReference ParseReference(string value)
    {
        var text = value.StartsWith("docker://", StringComparison.Ordinal) ? value["docker://".Length..] : value;
        return ImageReference.TryParse(text, out var reference) ? reference
            : throw new SigningUsageException($"'{value}' is not an image reference");
    }

    public static RegistryClient CreateClient(HttpClient http, ImageReference reference, string? creds, bool plainHttp, bool push) =>
        new(http, reference, new RegistrySourceOptions
        {
            PlainHttp = plainHttp,
            Credential = creds is null ? null : RegistryCredential.Parse(creds),
        }, push);

    public static async Task<string> ReadKeyFileAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new SigningUsageException($"key file '{path}' does not exist");
        }

        return info.Length > SigningKey.MaxPemLength
            ? throw new SigningUsageException($"key file '{path}' is larger than {SigningKey.MaxPemLength} bytes")
            : await File.ReadAllTextAsync(path, cancellationToken);
    }
}
