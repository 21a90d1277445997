using Bulwark.Analysis;
using Bulwark.Analysis.Registry;
using Bulwark.Oci;
using Bulwark.Signing.Formats;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Images;

/// <summary>
/// Finds an image's signatures in both forms — the cosign <c>.sig</c> tag and Sigstore bundles among its referrers
/// (the referrers API, else the referrers tag schema) — and checks each against one key and the image's own digest.
/// </summary>
public static class ImageVerifier
{
    /// <summary>Signatures beyond these are not read: a registry cannot make the verifier do unbounded work.</summary>
    public const int MaxSignaturesPerForm = 64;

    public static async Task<ImageVerificationReport> VerifyAsync(RegistryClient client, ImageReference reference, VerificationKey key,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(key);
        var (_, _, digestText) = await client.GetManifestAsync(reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        var digest = Digest.Parse(digestText);
        var checks = new List<SignatureCheck>();
        await CheckSimpleSigningAsync(client, digest, key, checks, cancellationToken).ConfigureAwait(false);
        await CheckBundlesAsync(client, digest, key, checks, cancellationToken).ConfigureAwait(false);
        return new ImageVerificationReport(reference.ToString(), digestText, key.Fingerprint, checks);
    }

    private static async Task CheckSimpleSigningAsync(RegistryClient client, Digest digest, VerificationKey key, List<SignatureCheck> checks,
        CancellationToken cancellationToken)
    {
        var tag = ImageSigner.SignatureTag(digest);
        if (await client.TryGetManifestAsync(tag, cancellationToken).ConfigureAwait(false) is not { } manifest)
        {
            return;
        }

        IReadOnlyList<Descriptor> layers;
        try
        {
            layers = ManifestParser.Parse(manifest.Content, manifest.MediaType).References;
        }
        catch (ManifestFormatException e)
        {
            checks.Add(new SignatureCheck(SignatureForm.SimpleSigning, tag, false, $"the signature manifest is malformed: {e.Message}"));
            return;
        }

        foreach (var layer in layers.Where(l => l.MediaType == SimpleSigningPayload.MediaType).Take(MaxSignaturesPerForm))
        {
            var location = $"{tag} layer {layer.Digest}";
            checks.Add(await CheckPayloadAsync(client, layer, location, digest, key, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task<SignatureCheck> CheckPayloadAsync(RegistryClient client, Descriptor layer, string location, Digest digest,
        VerificationKey key, CancellationToken cancellationToken)
    {
        SignatureCheck Result(bool verified, string detail) => new(SignatureForm.SimpleSigning, location, verified, detail);
        if (layer.Annotations?.GetValueOrDefault(SimpleSigningPayload.SignatureAnnotation) is not { } encoded)
        {
            return Result(false, "the layer has no signature annotation");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return Result(false, "the signature annotation is not base64");
        }

        byte[] payload;
        try
        {
            payload = await SmallBlobs.ReadAsync(client, layer, SimpleSigningPayload.MaxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ImageSourceException or HostileImageException)
        {
            return Result(false, e.Message);
        }

        if (!key.Verify(payload, signature))
        {
            return Result(false, "the signature does not verify with the key");
        }

        try
        {
            var parsed = SimpleSigningPayload.Parse(payload);
            return parsed.ManifestDigest == digest
                ? Result(true, $"signed {parsed.ManifestDigest} as {parsed.DockerReference}")
                : Result(false, $"the payload signs {parsed.ManifestDigest}, not this image ({digest})");
        }
        catch (SignatureFormatException e)
        {
            return Result(false, e.Message);
        }
    }

    private static async Task CheckBundlesAsync(RegistryClient client, Digest digest, VerificationKey key, List<SignatureCheck> checks,
        CancellationToken cancellationToken)
    {
        var index = await client.TryGetReferrersAsync(digest.ToString(), SigstoreBundle.MediaTypeV03, cancellationToken).ConfigureAwait(false);
        if (index is null && await client.TryGetManifestAsync(RegistryClient.ReferrersTag(digest.ToString()), cancellationToken).ConfigureAwait(false) is { } tagged)
        {
            index = tagged.Content;
        }

        if (index is null)
        {
            return;
        }

        IReadOnlyList<Descriptor> referrers;
        try
        {
            referrers = ManifestParser.Parse(index, MediaTypes.OciIndex).References;
        }
        catch (ManifestFormatException e)
        {
            checks.Add(new SignatureCheck(SignatureForm.SigstoreBundle, "referrers", false, $"the referrers index is malformed: {e.Message}"));
            return;
        }

        foreach (var referrer in referrers.Where(r => r.ArtifactType == SigstoreBundle.MediaTypeV03).Take(MaxSignaturesPerForm))
        {
            checks.Add(await CheckBundleReferrerAsync(client, referrer, digest, key, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task<SignatureCheck> CheckBundleReferrerAsync(RegistryClient client, Descriptor referrer, Digest digest, VerificationKey key,
        CancellationToken cancellationToken)
    {
        var location = $"referrer {referrer.Digest}";
        SignatureCheck Result(bool verified, string detail) => new(SignatureForm.SigstoreBundle, location, verified, detail);
        try
        {
            var (content, mediaType, _) = await client.GetManifestAsync(referrer.Digest, cancellationToken).ConfigureAwait(false);
            var manifest = ManifestParser.Parse(content, mediaType);
            if (manifest.Subject?.Digest != digest.ToString())
            {
                return Result(false, $"the referrer's subject is {manifest.Subject?.Digest ?? "missing"}, not this image");
            }

            var layer = manifest.References.FirstOrDefault(l => l.MediaType == SigstoreBundle.MediaTypeV03);
            if (layer is null)
            {
                return Result(false, "the referrer has no Sigstore bundle layer");
            }

            var bundle = SigstoreBundle.Parse(await SmallBlobs.ReadAsync(client, layer, SigstoreBundle.MaxBytes, cancellationToken).ConfigureAwait(false));
            var outcome = SigstoreBundleVerifier.Verify(bundle, key, digest);
            return Result(outcome.Verified, outcome.Verified ? $"signed {digest} (in-toto statement, DSSE)" : outcome.Detail);
        }
        catch (Exception e) when (e is ImageSourceException or HostileImageException or ManifestFormatException or SignatureFormatException)
        {
            return Result(false, e.Message);
        }
    }
}
