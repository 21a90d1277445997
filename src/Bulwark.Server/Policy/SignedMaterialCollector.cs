using Bulwark.Oci;
using Bulwark.Policy.Images;
using Bulwark.Registry.Manifests;
using Bulwark.Signing.Formats;

namespace Bulwark.Server.Policy;

/// <summary>
/// Finds the signatures (and, when asked, the attestations) of an image digest in the same repository of this registry,
/// in both storage forms: the cosign <c>sha256-&lt;hex&gt;.sig</c>/<c>.att</c> tags and Sigstore bundle referrers
/// (OCI 1.1 <c>subject</c>). Every blob read is bounded. Finding proves nothing: the image policy's
/// <see cref="ImagePolicyEvaluator.CheckSignatures"/> verifies what is found — for the policy decision and for the
/// admission webhook alike.
/// </summary>
public sealed class SignedMaterialCollector(ManifestService manifests, StoredBlobReader blobs)
{
    /// <summary>The largest signature payload, bundle or envelope read.</summary>
    public const int MaxSignedBlobBytes = 1024 * 1024;

    /// <summary>The most signature layers and referrers looked at per form.</summary>
    public const int MaxSignedMaterials = 64;

    /// <summary>The signed material of <paramref name="digest"/>; attestations only when <paramref name="includeAttestations"/>.</summary>
    /// <exception cref="ManifestFormatException">A stored signature manifest cannot be parsed.</exception>
    public async Task<SignedMaterials> CollectAsync(string repository, Digest digest, bool includeAttestations, CancellationToken cancellationToken)
    {
        var signatures = new List<SignedMaterial>();
        var attestations = new List<SignedMaterial>();
        await CollectCosignTagAsync(repository, digest, "sig", signatures, cancellationToken).ConfigureAwait(false);
        if (includeAttestations)
        {
            await CollectCosignTagAsync(repository, digest, "att", attestations, cancellationToken).ConfigureAwait(false);
        }

        await CollectReferrersAsync(repository, digest, signatures, includeAttestations ? attestations : null, cancellationToken).ConfigureAwait(false);
        return new SignedMaterials(signatures, attestations);
    }

    /// <summary>cosign's tag scheme: the manifest tagged <c>sha256-&lt;hex&gt;.sig</c> (signatures) or <c>.att</c> (attestations).</summary>
    private async Task CollectCosignTagAsync(string repository, Digest digest, string suffix, List<SignedMaterial> found, CancellationToken cancellationToken)
    {
        var tag = $"{digest.Algorithm}-{digest.Encoded}.{suffix}";
        var stored = await manifests.FindAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return;
        }

        var document = ManifestParser.Parse(await manifests.ReadContentAsync(stored, cancellationToken).ConfigureAwait(false), stored.MediaType);
        foreach (var layer in document.References.Take(MaxSignedMaterials))
        {
            var location = $"{repository}:{tag} layer {layer.Digest}";
            if (await blobs.ReadAsync(layer, MaxSignedBlobBytes, cancellationToken).ConfigureAwait(false) is not { } bytes)
            {
                continue;
            }

            if (suffix == "att")
            {
                found.Add(new DsseEnvelopeMaterial(location, bytes));
            }
            else if (layer.Annotations?.GetValueOrDefault(SimpleSigningPayload.SignatureAnnotation) is { } encoded)
            {
                var signature = new byte[encoded.Length];
                if (Convert.TryFromBase64String(encoded, signature, out var length))
                {
                    found.Add(new SimpleSigningMaterial(location, bytes, signature[..length]));
                }
            }
        }
    }

    /// <summary>
    /// Sigstore bundle referrers: a <c>cosign/sign</c> predicate (or none) is a signature, any other predicate an
    /// attestation. Without an attestation list, bundles annotated as attestations are not read at all.
    /// </summary>
    private async Task CollectReferrersAsync(string repository, Digest digest, List<SignedMaterial> signatures, List<SignedMaterial>? attestations,
        CancellationToken cancellationToken)
    {
        var referrers = await manifests.ListReferrersAsync(repository, digest, SigstoreBundle.MediaTypeV03, cancellationToken).ConfigureAwait(false);
        foreach (var referrer in referrers.Take(MaxSignedMaterials))
        {
            var stored = await manifests.FindAsync(repository, referrer.Digest, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                continue;
            }

            var document = ManifestParser.Parse(await manifests.ReadContentAsync(stored, cancellationToken).ConfigureAwait(false), stored.MediaType);
            foreach (var layer in document.References.Where(l => l.MediaType == SigstoreBundle.MediaTypeV03).Take(MaxSignedMaterials))
            {
                var predicate = layer.Annotations?.GetValueOrDefault("dev.sigstore.bundle.predicateType")
                    ?? document.Annotations?.GetValueOrDefault("dev.sigstore.bundle.predicateType");
                var target = predicate is null or InTotoStatement.CosignSignPredicateType ? signatures : attestations;
                if (target is null || await blobs.ReadAsync(layer, MaxSignedBlobBytes, cancellationToken).ConfigureAwait(false) is not { } bundle)
                {
                    continue;
                }

                target.Add(new SigstoreBundleMaterial($"{repository}@{referrer.Digest} (referrer)", bundle));
            }
        }
    }
}
