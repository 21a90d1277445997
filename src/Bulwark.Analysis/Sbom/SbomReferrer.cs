using System.Globalization;
using System.Text.Json;
using Bulwark.Analysis.Registry;
using Bulwark.Oci;

namespace Bulwark.Analysis.Sbom;

/// <summary>
/// Attaches an SBOM to an image as an OCI 1.1 referrer: an image manifest whose <c>artifactType</c> is the SBOM's
/// media type, with the empty config (<c>application/vnd.oci.empty.v1+json</c>), the SBOM as its single layer and
/// <c>subject</c> = the image manifest, pushed by digest to the image's repository (image-spec manifest.md
/// "Guidelines for artifact usage"; distribution-spec "Pushing Manifests with Subject").
/// </summary>
public static class SbomReferrer
{
    /// <summary>The empty JSON object <c>{}</c>, the config of artifacts that have none.</summary>
    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    /// <summary>Pushes the SBOM and its artifact manifest; returns the artifact manifest's digest.</summary>
    /// <param name="client">A client of the image's repository created with <c>push: true</c>.</param>
    /// <param name="subjectDigest">Digest of the image manifest the SBOM describes (one platform's manifest).</param>
    public static async Task<SbomReferrerResult> AttachAsync(RegistryClient client, string subjectDigest, ReadOnlyMemory<byte> sbom, SbomFormat format,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        var (subjectContent, subjectMediaType, digest) = await client.GetManifestAsync(subjectDigest, cancellationToken).ConfigureAwait(false);
        var mediaType = subjectMediaType is { } m && MediaTypes.Manifests.Contains(m) ? m : ReadMediaType(subjectContent)
            ?? throw new ImageSourceException($"manifest {subjectDigest} has no media type");

        var configDigest = Digest.Compute(EmptyConfig).ToString();
        var sbomDigest = Digest.Compute(sbom.Span).ToString();
        await client.PushBlobAsync(EmptyConfig, configDigest, cancellationToken).ConfigureAwait(false);
        await client.PushBlobAsync(sbom, sbomDigest, cancellationToken).ConfigureAwait(false);

        var artifactType = SbomDocuments.MediaType(format);
        var manifest = WriteManifest(artifactType, configDigest, sbomDigest, sbom.Length, SbomDocuments.FileName(format),
            new Descriptor { MediaType = mediaType, Digest = digest, Size = subjectContent.Length },
            time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        var manifestDigest = Digest.Compute(manifest).ToString();
        var subjectHeader = await client.PutManifestAsync(manifestDigest, manifest, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        var usedFallback = false;
        if (subjectHeader is null)
        {
            // distribution-spec: without OCI-Subject the registry does not index referrers, and the client MUST keep
            // the referrers tag schema up to date: an index tagged <alg>-<hex> listing the referrers.
            await client.AddToReferrersTagAsync(digest, new Descriptor
            {
                MediaType = MediaTypes.OciManifest,
                Digest = manifestDigest,
                Size = manifest.Length,
                ArtifactType = artifactType,
            }, cancellationToken).ConfigureAwait(false);
            usedFallback = true;
        }

        return new SbomReferrerResult(manifestDigest, manifest.Length, artifactType, digest, usedFallback);
    }

    /// <summary>The artifact manifest, written field by field so that its bytes (and digest) are stable.</summary>
    internal static byte[] WriteManifest(string artifactType, string configDigest, string layerDigest, long layerSize, string title,
        Descriptor subject, string created)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciManifest);
            json.WriteString("artifactType", artifactType);
            json.WriteStartObject("config");
            json.WriteString("mediaType", MediaTypes.OciEmpty);
            json.WriteString("digest", configDigest);
            json.WriteNumber("size", EmptyConfig.Length);
            json.WriteString("data", Convert.ToBase64String(EmptyConfig));
            json.WriteEndObject();
            json.WriteStartArray("layers");
            json.WriteStartObject();
            json.WriteString("mediaType", artifactType);
            json.WriteString("digest", layerDigest);
            json.WriteNumber("size", layerSize);
            json.WriteStartObject("annotations");
            json.WriteString("org.opencontainers.image.title", title);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("subject");
            json.WriteString("mediaType", subject.MediaType);
            json.WriteString("digest", subject.Digest);
            json.WriteNumber("size", subject.Size);
            json.WriteEndObject();
            json.WriteStartObject("annotations");
            json.WriteString("org.opencontainers.image.created", created);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string? ReadMediaType(byte[] manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(manifest);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("mediaType", out var m)
                && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
