using System.CommandLine;
using System.Text.Json;
using Bulwark.Analysis;
using Bulwark.Oci;
using Bulwark.Signing.Images;
using Bulwark.Signing.Keys;

namespace Bulwark.Cli.Commands.Signing;

/// <summary>
/// <c>bulwark verify &lt;image-ref&gt; --key PREFIX.pub</c>: finds the image's signatures in both forms and checks each
/// against the key and the image's digest. Exit 0 when one verified, 1 when none did, 2 on bad input.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image-ref") { Description = "The image to verify" };
        var keyPath = new Option<string>("--key") { Description = "Public key (PEM PUBLIC KEY)", Required = true };
        var format = new Option<string>("--format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var creds = new Option<string?>("--creds") { Description = "USER:PASSWORD for the registry (else the auth files)" };
        var plainHttp = new Option<bool>("--plain-http") { Description = "Use HTTP for a non-loopback registry" };
        var command = new Command("verify", "Verify an image's signatures (cosign .sig tag and Sigstore bundle referrers) against a key")
        {
            image, keyPath, format, creds, plainHttp,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var reference = SigningRegistry.ParseReference(result.GetValue(image)!);
                var key = VerificationKey.FromPem(await SigningRegistry.ReadKeyFileAsync(result.GetValue(keyPath)!, cancellationToken));
                using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
                var client = SigningRegistry.CreateClient(http, reference, result.GetValue(creds), result.GetValue(plainHttp), push: false);
                var report = await ImageVerifier.VerifyAsync(client, reference, key, cancellationToken);
                if (result.GetValue(format) == "json")
                {
                    WriteJson(report);
                }
                else
                {
                    WriteText(report);
                }

                return report.Verified ? ExitCodes.Success : ExitCodes.CheckFailed;
            }
            catch (Exception e) when (e is SigningUsageException or KeyFormatException or ImageSourceException or HostileImageException or FormatException
                or ManifestFormatException or HttpRequestException or IOException or UnauthorizedAccessException)
            {
                var message = e is HttpRequestException ? $"registry unreachable: {e.Message}" : e.Message;
                await Console.Error.WriteLineAsync($"bulwark verify: {message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }

    public static string FormName(SignatureForm form) => form == SignatureForm.SimpleSigning ? "simple-signing" : "sigstore-bundle";

    private static void WriteText(ImageVerificationReport report)
    {
        Console.WriteLine($"Image: {report.Reference}");
        Console.WriteLine($"Digest: {report.ManifestDigest}");
        Console.WriteLine($"Key: {report.KeyFingerprint}");
        if (report.Signatures.Count == 0)
        {
            Console.WriteLine("No signatures found (neither a .sig tag nor Sigstore bundle referrers).");
        }

        foreach (var check in report.Signatures)
        {
            Console.WriteLine($"  {(check.Verified ? "VERIFIED" : "FAILED  ")} {FormName(check.Form),-15} {check.Location}: {check.Detail}");
        }

        Console.WriteLine(report.Verified
            ? $"Verified: {string.Join(", ", report.VerifiedForms.Select(FormName))} signed by {report.KeyFingerprint}"
            : "Not verified: no signature of this image verifies with the key");
    }

    private static void WriteJson(ImageVerificationReport report)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("image", report.Reference);
            json.WriteString("digest", report.ManifestDigest);
            json.WriteBoolean("verified", report.Verified);
            json.WriteString("keyFingerprint", report.KeyFingerprint);
            json.WriteStartArray("verifiedForms");
            foreach (var form in report.VerifiedForms)
            {
                json.WriteStringValue(FormName(form));
            }

            json.WriteEndArray();
            json.WriteStartArray("signatures");
            foreach (var check in report.Signatures)
            {
                json.WriteStartObject();
                json.WriteString("form", FormName(check.Form));
                json.WriteString("location", check.Location);
                json.WriteBoolean("verified", check.Verified);
                json.WriteString("detail", check.Detail);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stdout.Write("\n"u8);
    }
}
