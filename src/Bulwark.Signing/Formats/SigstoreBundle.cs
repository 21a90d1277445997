using System.Text.Json;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Formats;

/// <summary>
/// A Sigstore bundle (protobuf-specs <c>dev.sigstore.bundle.v1.Bundle</c> in its JSON form): verification material
/// (for key-based signing, <c>publicKey.hint</c>; optional transparency log entries) and either a DSSE envelope or a
/// message signature over an artifact digest.
/// </summary>
public sealed record SigstoreBundle
{
    public const string MediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>Bundles are a few KiB (with log proofs); this bounds what a verifier reads.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly string[] KnownMediaTypes =
        [MediaTypeV03, "application/vnd.dev.sigstore.bundle+json;version=0.3", "application/vnd.dev.sigstore.bundle+json;version=0.2",
         "application/vnd.dev.sigstore.bundle+json;version=0.1"];

    public required string MediaType { get; init; }

    public string? PublicKeyHint { get; init; }

    public DsseEnvelope? Envelope { get; init; }

    /// <summary>The signature of a message-signature bundle, with the artifact digest it claims to sign (SHA-256).</summary>
    public (byte[] Digest, byte[] Signature)? MessageSignature { get; init; }

    public IReadOnlyList<TransparencyLogEntry> LogEntries { get; init; } = [];

    /// <summary>A v0.3 bundle holding a DSSE envelope over <paramref name="statement"/> signed by <paramref name="key"/>.</summary>
    public static byte[] CreateDsse(SigningKey key, byte[] statement)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signature = key.Sign(DsseEnvelope.PreAuthenticationEncoding(DsseEnvelope.InTotoPayloadType, statement));
        var envelope = new DsseEnvelope(DsseEnvelope.InTotoPayloadType, statement, [signature]);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("mediaType", MediaTypeV03);
            json.WriteStartObject("verificationMaterial");
            json.WriteStartObject("publicKey");
            json.WriteString("hint", key.PublicKey.Hint);
            json.WriteEndObject();
            json.WriteStartArray("tlogEntries");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WritePropertyName("dsseEnvelope");
            envelope.WriteTo(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <exception cref="SignatureFormatException">Over the size limit, truncated, not a bundle, or an unknown media type.</exception>
    public static SigstoreBundle Parse(ReadOnlySpan<byte> bundle)
    {
        if (bundle.Length > MaxBytes)
        {
            throw new SignatureFormatException($"Sigstore bundle is larger than {MaxBytes} bytes");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bundle.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            throw new SignatureFormatException("Sigstore bundle is not complete JSON (truncated or corrupt)");
        }

        using (document)
        {
            try
            {
                var root = document.RootElement;
                var mediaType = root.GetProperty("mediaType").GetString() ?? "";
                if (!KnownMediaTypes.Contains(mediaType))
                {
                    throw new SignatureFormatException($"Sigstore bundle media type '{mediaType}' is not supported");
                }

                var material = root.GetProperty("verificationMaterial");
                string? hint = material.TryGetProperty("publicKey", out var publicKey) && publicKey.TryGetProperty("hint", out var h) ? h.GetString() : null;
                var entries = material.TryGetProperty("tlogEntries", out var tlog) && tlog.ValueKind == JsonValueKind.Array
                    ? tlog.EnumerateArray().Take(16).Select(TransparencyLogEntry.Read).ToList() : [];
                DsseEnvelope? envelope = root.TryGetProperty("dsseEnvelope", out var dsse) ? DsseEnvelope.Read(dsse) : null;
                (byte[], byte[])? message = null;
                if (root.TryGetProperty("messageSignature", out var ms))
                {
                    var digest = ms.GetProperty("messageDigest");
                    if (digest.GetProperty("algorithm").GetString() != "SHA2_256")
                    {
                        throw new SignatureFormatException("Sigstore bundle: only SHA2_256 message digests are supported");
                    }

                    message = (digest.GetProperty("digest").GetBytesFromBase64(), ms.GetProperty("signature").GetBytesFromBase64());
                }

                if ((envelope is null) == (message is null))
                {
                    throw new SignatureFormatException("Sigstore bundle must hold exactly one of dsseEnvelope and messageSignature");
                }

                return new SigstoreBundle
                {
                    MediaType = mediaType,
                    PublicKeyHint = hint,
                    Envelope = envelope,
                    MessageSignature = message,
                    LogEntries = entries,
                };
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new SignatureFormatException("Sigstore bundle: a required field is missing or malformed");
            }
        }
    }
}
