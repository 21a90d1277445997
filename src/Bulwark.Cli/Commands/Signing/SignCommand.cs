using System.CommandLine;
using Bulwark.Analysis;
using Bulwark.Oci;
using Bulwark.Signing.Images;
using Bulwark.Signing.Keys;

namespace Bulwark.Cli.Commands.Signing;

/// <summary>
/// <c>bulwark sign &lt;image-ref&gt; --key PREFIX.key</c>: resolves the image to its manifest digest, signs it, and stores
/// the signature both as cosign's <c>.sig</c> tag and as an OCI referrer carrying a Sigstore bundle.
/// </summary>
internal static class SignCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image-ref") { Description = "The image to sign (a tag is resolved to its digest)" };
        var keyPath = new Option<string>("--key") { Description = "Private key: cosign/Sigstore encrypted, or PKCS#8 PEM", Required = true };
        var creds = new Option<string?>("--creds") { Description = "USER:PASSWORD for the registry (else the auth files)" };
        var plainHttp = new Option<bool>("--plain-http") { Description = "Use HTTP for a non-loopback registry" };
        var command = new Command("sign", "Sign an image in a registry (cosign .sig tag and Sigstore bundle referrer)") { image, keyPath, creds, plainHttp };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var reference = SigningRegistry.ParseReference(result.GetValue(image)!);
                var pem = await SigningRegistry.ReadKeyFileAsync(result.GetValue(keyPath)!, cancellationToken);
                using var key = SigningKey.FromPem(pem, NeedsPassphrase(pem) ? KeyPassphrase.Read(confirm: false) : null);
                using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
                var client = SigningRegistry.CreateClient(http, reference, result.GetValue(creds), result.GetValue(plainHttp), push: true);
                var signature = await ImageSigner.SignAsync(client, reference, key, cancellationToken);
                var repository = $"{reference.Registry}/{reference.Repository}";
                Console.WriteLine($"Signed {repository}@{signature.ManifestDigest} with key {key.PublicKey.Fingerprint}");
                Console.WriteLine($"  simple-signing: {repository}:{signature.SignatureTag}");
                Console.WriteLine($"  sigstore-bundle: {repository}@{signature.ReferrerDigest}" + (signature.UsedReferrersTag ? " (referrers tag)" : ""));
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is SigningUsageException or KeyFormatException or ImageSourceException or HostileImageException or FormatException
                or ManifestFormatException or HttpRequestException or IOException or UnauthorizedAccessException)
            {
                var message = e is HttpRequestException ? $"registry unreachable: {e.Message}" : e.Message;
                await Console.Error.WriteLineAsync($"bulwark sign: {message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }

    private static bool NeedsPassphrase(string pem) => pem.Contains("-----BEGIN ENCRYPTED", StringComparison.Ordinal);
}
