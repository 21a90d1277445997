using System.Text.Json;
using Bulwark.Analysis.Registry;
using Bulwark.Oci;
using Bulwark.Signing.Formats;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Images;

/// <summary>
/// Signs an image's manifest digest and stores the signature in both forms that clients read: the cosign
/// simple-signing layer appended to the manifest tagged <c>sha256-&lt;hex&gt;.sig</c> (what cosign and skopeo's
/// <c>use-sigstore-attachments</c> read), and an OCI 1.1 referrer whose layer is a Sigstore bundle v0.3 (DSSE over an
/// in-toto statement about the digest).
/// </summary>
public static class ImageSigner
{
    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    /// <param name="client">A pushing client of the image's repository.</param>
    /// <param name="reference">The image as the user named it; a tag is resolved to its digest first.</param>
    public static async Task<ImageSignature> SignAsync(RegistryClient client, ImageReference reference, SigningKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(key);
        var (content, mediaType, digestText) = await client.GetManifestAsync(reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        var digest = Digest.Parse(digestText);
        var subject = new Descriptor
        {
            MediaType = ManifestParser.NormalizeContentType(mediaType) is { } m && MediaTypes.Manifests.Contains(m) ? m
                : ManifestParser.Parse(content, null).MediaType,
            Digest = digestText,
            Size = content.Length,
        };

        var tag = await AppendSimpleSigningAsync(client, reference, digest, key, cancellationToken).ConfigureAwait(false);
        var (referrer, usedTag) = await PushBundleReferrerAsync(client, reference, subject, digest, key, cancellationToken).ConfigureAwait(false);
        return new ImageSignature(digestText, tag, referrer, usedTag);
    }

    /// <summary>The identity written into the payload: the reference as signed, without the digest (containers/image's default policy matches it).</summary>
    internal static string DockerReference(ImageReference reference) =>
        $"{reference.Registry}/{reference.Repository}{(reference.Tag is { } tag && reference.Digest is null ? ":" + tag : "")}";

    /// <summary>cosign's signature tag for a digest: <c>sha256-&lt;hex&gt;.sig</c>.</summary>
    public static string SignatureTag(Digest digest) => $"{digest.Algorithm}-{digest.Encoded}.sig";

    private static async Task<string> AppendSimpleSigningAsync(RegistryClient client, ImageReference reference, Digest digest, SigningKey key,
        CancellationToken cancellationToken)
    {
        var payload = new SimpleSigningPayload(DockerReference(reference), digest).ToUtf8Bytes();
        var signature = Convert.ToBase64String(key.Sign(payload));
        var payloadDigest = Digest.Compute(payload).ToString();
        await client.PushBlobAsync(payload, payloadDigest, cancellationToken).ConfigureAwait(false);

        var tag = SignatureTag(digest);
        var layers = new List<Descriptor>();
        if (await client.TryGetManifestAsync(tag, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            // Keep the signatures already there (other keys, other signers): cosign appends, it does not replace.
            // References lists the config too; only the simple-signing layers are signatures.
            layers.AddRange(ManifestParser.Parse(existing.Content, existing.MediaType).References.Where(r => r.MediaType == SimpleSigningPayload.MediaType));
        }

        layers.RemoveAll(l => l.Digest == payloadDigest && l.Annotations?.GetValueOrDefault(SimpleSigningPayload.SignatureAnnotation) == signature);
        layers.Add(new Descriptor
        {
            MediaType = SimpleSigningPayload.MediaType,
            Digest = payloadDigest,
            Size = payload.Length,
            Annotations = new Dictionary<string, string> { [SimpleSigningPayload.SignatureAnnotation] = signature },
        });

        var config = WriteSignatureConfig(layers);
        var configDigest = Digest.Compute(config).ToString();
        await client.PushBlobAsync(config, configDigest, cancellationToken).ConfigureAwait(false);
        var manifest = WriteManifest(null, new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = config.Length }, layers, null);
        await client.PutManifestAsync(tag, manifest, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        return tag;
    }

    private static async Task<(string Digest, bool UsedTag)> PushBundleReferrerAsync(RegistryClient client, ImageReference reference, Descriptor subject,
        Digest digest, SigningKey key, CancellationToken cancellationToken)
    {
        var statement = InTotoStatement.ForImage($"{reference.Registry}/{reference.Repository}", digest);
        var bundle = SigstoreBundle.CreateDsse(key, statement);
        var bundleDigest = Digest.Compute(bundle).ToString();
        var configDigest = Digest.Compute(EmptyConfig).ToString();
        await client.PushBlobAsync(EmptyConfig, configDigest, cancellationToken).ConfigureAwait(false);
        await client.PushBlobAsync(bundle, bundleDigest, cancellationToken).ConfigureAwait(false);
        var manifest = WriteManifest(SigstoreBundle.MediaTypeV03,
            new Descriptor { MediaType = MediaTypes.OciEmpty, Digest = configDigest, Size = EmptyConfig.Length },
            [new Descriptor
            {
                MediaType = SigstoreBundle.MediaTypeV03,
                Digest = bundleDigest,
                Size = bundle.Length,
                Annotations = new Dictionary<string, string>
                {
                    ["dev.sigstore.bundle.content"] = "dsse-envelope",
                    ["dev.sigstore.bundle.predicateType"] = InTotoStatement.CosignSignPredicateType,
                },
            }],
            subject);
        var manifestDigest = Digest.Compute(manifest).ToString();
        var subjectHeader = await client.PutManifestAsync(manifestDigest, manifest, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        if (subjectHeader is not null)
        {
            return (manifestDigest, false);
        }

        await client.AddToReferrersTagAsync(subject.Digest, new Descriptor
        {
            MediaType = MediaTypes.OciManifest,
            Digest = manifestDigest,
            Size = manifest.Length,
            ArtifactType = SigstoreBundle.MediaTypeV03,
        }, cancellationToken).ConfigureAwait(false);
        return (manifestDigest, true);
    }

    /// <summary>The image config cosign gives a signature manifest: empty, with the layers as its diff ids.</summary>
    private static byte[] WriteSignatureConfig(IReadOnlyList<Descriptor> layers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("architecture", "");
            json.WriteString("os", "");
            json.WriteStartObject("config");
            json.WriteEndObject();
            json.WriteStartObject("rootfs");
            json.WriteString("type", "layers");
            json.WriteStartArray("diff_ids");
            foreach (var layer in layers)
            {
                json.WriteStringValue(layer.Digest);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>An OCI image manifest written field by field so that its bytes (and digest) are stable.</summary>
    private static byte[] WriteManifest(string? artifactType, Descriptor config, IReadOnlyList<Descriptor> layers, Descriptor? subject)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciManifest);
            if (artifactType is not null)
            {
                json.WriteString("artifactType", artifactType);
            }

            json.WritePropertyName("config");
            WriteDescriptor(json, config);
            json.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                WriteDescriptor(json, layer);
            }

            json.WriteEndArray();
            if (subject is not null)
            {
                json.WritePropertyName("subject");
                WriteDescriptor(json, subject);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter json, Descriptor descriptor)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", descriptor.MediaType);
        json.WriteString("digest", descriptor.Digest);
        json.WriteNumber("size", descriptor.Size);
        if (descriptor.Annotations is { Count: > 0 } annotations)
        {
            json.WriteStartObject("annotations");
            foreach (var (name, value) in annotations)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
