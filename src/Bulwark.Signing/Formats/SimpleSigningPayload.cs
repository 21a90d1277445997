using System.Text.Json;
using Bulwark.Oci;

namespace Bulwark.Signing.Formats;

/// <summary>
/// The cosign "simple signing" payload (containers/image's sigstore signature payload): <c>{"critical":{"identity":
/// {"docker-reference":…},"image":{"docker-manifest-digest":…},"type":"cosign container image signature"},
/// "optional":…}</c>. The signature is over these exact bytes.
/// </summary>
public sealed record SimpleSigningPayload(string DockerReference, Digest ManifestDigest)
{
    public const string MediaType = "application/vnd.dev.cosign.simplesigning.v1+json";
    public const string SignatureType = "cosign container image signature";

    /// <summary>Layer annotation holding the base64 signature.</summary>
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    /// <summary>Payloads are a few hundred bytes; this bounds what a verifier reads from a registry.</summary>
    public const int MaxBytes = 64 * 1024;

    public byte[] ToUtf8Bytes()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("critical");
            json.WriteStartObject("identity");
            json.WriteString("docker-reference", DockerReference);
            json.WriteEndObject();
            json.WriteStartObject("image");
            json.WriteString("docker-manifest-digest", ManifestDigest.ToString());
            json.WriteEndObject();
            json.WriteString("type", SignatureType);
            json.WriteEndObject();
            json.WriteNull("optional");
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <exception cref="SignatureFormatException">Not JSON, the wrong type, or a missing or malformed field.</exception>
    public static SimpleSigningPayload Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxBytes)
        {
            throw new SignatureFormatException($"simple-signing payload is larger than {MaxBytes} bytes");
        }

        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var critical = document.RootElement.GetProperty("critical");
            if (critical.GetProperty("type").GetString() != SignatureType)
            {
                throw new SignatureFormatException($"simple-signing payload type is not '{SignatureType}'");
            }

            var digest = critical.GetProperty("image").GetProperty("docker-manifest-digest").GetString();
            var reference = critical.GetProperty("identity").GetProperty("docker-reference").GetString() ?? "";
            return Digest.TryParse(digest, out var parsed) ? new SimpleSigningPayload(reference, parsed)
                : throw new SignatureFormatException("simple-signing payload has no valid docker-manifest-digest");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SignatureFormatException("simple-signing payload is not the JSON cosign writes");
        }
    }
}
