using Bulwark.Analysis;
using Bulwark.Analysis.Registry;
using Bulwark.Oci;
using Bulwark.Policy.Images;
using Bulwark.Signing.Formats;
using Bulwark.Signing.Images;

namespace Bulwark.Cli.Commands.Policy;

/// <summary>
/// Collects, without verifying, what an image has in its registry: simple-signing layers of the cosign <c>.sig</c>
/// tag, Sigstore bundle referrers (the referrers API, else the referrers tag) sorted into signatures
/// (<c>https://sigstore.dev/cosign/sign/v1</c> statements, message signatures) and attestations (other predicate types),
/// and DSSE envelopes of cosign's <c>.att</c> tag. What cannot be read is reported as a problem, not thrown.
/// </summary>
internal sealed class RegistrySignatureCollector(RegistryClient client, Digest digest)
{
    /// <summary>Signatures beyond these are not read, per storage form: a registry cannot make the check do unbounded work.</summary>
    public const int MaxPerForm = 64;

    public const string DsseEnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";

    public List<SignedMaterial> Signatures { get; } = [];

    public List<SignedMaterial> Attestations { get; } = [];

    public List<string> Problems { get; } = [];

    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        await CollectTagAsync(ImageSigner.SignatureTag(digest), SimpleSigningPayload.MediaType, SimpleSigningPayload.MaxBytes, cancellationToken);
        await CollectTagAsync($"{digest.Algorithm}-{digest.Encoded}.att", DsseEnvelopeMediaType, SigstoreBundle.MaxBytes, cancellationToken);
        await CollectReferrersAsync(cancellationToken);
    }

    private async Task CollectTagAsync(string tag, string layerMediaType, int limit, CancellationToken cancellationToken)
    {
        try
        {
            if (await client.TryGetManifestAsync(tag, cancellationToken) is not { } manifest)
            {
                return;
            }

            var layers = ManifestParser.Parse(manifest.Content, manifest.MediaType).References.Where(l => l.MediaType == layerMediaType).Take(MaxPerForm);
            foreach (var layer in layers)
            {
                var location = $"{tag} layer {layer.Digest}";
                try
                {
                    var content = await RegistryBlobs.ReadAsync(client, layer, limit, cancellationToken);
                    if (layerMediaType == DsseEnvelopeMediaType)
                    {
                        Attestations.Add(new DsseEnvelopeMaterial(location, content));
                    }
                    else if (layer.Annotations?.GetValueOrDefault(SimpleSigningPayload.SignatureAnnotation) is { } encoded)
                    {
                        Signatures.Add(new SimpleSigningMaterial(location, content, Convert.FromBase64String(encoded)));
                    }
                    else
                    {
                        Problems.Add($"{location}: the layer has no signature annotation");
                    }
                }
                catch (FormatException)
                {
                    Problems.Add($"{location}: the signature annotation is not base64");
                }
                catch (Exception e) when (e is ImageSourceException or HostileImageException)
                {
                    Problems.Add($"{location}: {e.Message}");
                }
            }
        }
        catch (Exception e) when (e is ImageSourceException or HostileImageException or ManifestFormatException)
        {
            Problems.Add($"{tag}: {e.Message}");
        }
    }

    private async Task CollectReferrersAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Descriptor> referrers;
        try
        {
            var index = await client.TryGetReferrersAsync(digest.ToString(), null, cancellationToken);
            if (index is null && await client.TryGetManifestAsync(RegistryClient.ReferrersTag(digest.ToString()), cancellationToken) is { } tagged)
            {
                index = tagged.Content;
            }

            if (index is null)
            {
                return;
            }

            referrers = ManifestParser.Parse(index, MediaTypes.OciIndex).References;
        }
        catch (Exception e) when (e is ImageSourceException or HostileImageException or ManifestFormatException)
        {
            Problems.Add($"referrers of {digest}: {e.Message}");
            return;
        }

        foreach (var referrer in referrers.Where(r => r.ArtifactType == SigstoreBundle.MediaTypeV03).Take(MaxPerForm * 2))
        {
            var location = $"referrer {referrer.Digest}";
            try
            {
                var (content, mediaType, _) = await client.GetManifestAsync(referrer.Digest, cancellationToken);
                var manifest = ManifestParser.Parse(content, mediaType);
                if (manifest.Subject?.Digest != digest.ToString())
                {
                    Problems.Add($"{location}: its subject is {manifest.Subject?.Digest ?? "missing"}, not this image");
                    continue;
                }

                if (manifest.References.FirstOrDefault(l => l.MediaType == SigstoreBundle.MediaTypeV03) is not { } layer)
                {
                    Problems.Add($"{location}: no Sigstore bundle layer");
                    continue;
                }

                var bundle = await RegistryBlobs.ReadAsync(client, layer, SigstoreBundle.MaxBytes, cancellationToken);
                var material = new SigstoreBundleMaterial(location, bundle);
                (IsSignature(bundle) ? Signatures : Attestations).Add(material);
            }
            catch (Exception e) when (e is ImageSourceException or HostileImageException or ManifestFormatException)
            {
                Problems.Add($"{location}: {e.Message}");
            }
        }
    }

    /// <summary>A message signature, or a DSSE statement of cosign's signing predicate; anything else is an attestation.</summary>
    private static bool IsSignature(byte[] bundle)
    {
        try
        {
            var parsed = SigstoreBundle.Parse(bundle);
            return parsed.Envelope is not { } envelope || InTotoStatement.Read(envelope.Payload).PredicateType == InTotoStatement.CosignSignPredicateType;
        }
        catch (SignatureFormatException)
        {
            // Unreadable: the signature check reports why.
            return true;
        }
    }
}
