using System.Security.Cryptography;
using System.Text.Json;
using Bulwark.Oci;
using Bulwark.Policy.Images;
using Bulwark.Registry.Manifests;
using Bulwark.Server.Configuration;
using Bulwark.Server.Scanning;
using Bulwark.Signing.Formats;
using Microsoft.EntityFrameworkCore;
using RegistryBlobStore = Bulwark.Registry.Storage.IBlobStore;

namespace Bulwark.Server.Policy;

/// <summary>
/// Gathers the <see cref="ImageFacts"/> of an image in this registry from its own storage: the manifest and its
/// config, the cosign <c>sha256-&lt;hex&gt;.sig</c>/<c>.att</c> tags and the Sigstore bundle referrers of the same
/// repository, and the stored scan (open findings, secrets). Every blob read is bounded; signatures are only found
/// here — the evaluator verifies them.
/// </summary>
public sealed class ImageFactsCollector(
    ManifestService manifests,
    RegistryBlobStore blobs,
    ScanResultStore results,
    IDbContextFactory<ScanDbContext> scanDb,
    ServerOptions options)
{
    /// <summary>The largest signature payload, bundle or envelope read.</summary>
    public const int MaxSignedBlobBytes = 1024 * 1024;

    /// <summary>The most signature layers and referrers looked at per form.</summary>
    public const int MaxSignedMaterials = 64;

    /// <summary>The facts, or null when the manifest is no longer in the repository.</summary>
    public async Task<ImageFacts?> CollectAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var stored = await manifests.FindAsync(repository, digest.ToString(), cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        var document = ManifestParser.Parse(await manifests.ReadContentAsync(stored, cancellationToken).ConfigureAwait(false), stored.MediaType);
        ImageConfig? config = null;
        if (document.Config is { } configDescriptor && configDescriptor.MediaType is MediaTypes.OciConfig or MediaTypes.DockerConfig
            && await ReadBlobAsync(configDescriptor, ImageConfig.MaxLength, cancellationToken).ConfigureAwait(false) is { } configBytes)
        {
            config = ImageConfig.Parse(configBytes);
        }

        var signatures = new List<SignedMaterial>();
        var attestations = new List<SignedMaterial>();
        await CollectCosignTagAsync(repository, digest, "sig", signatures, cancellationToken).ConfigureAwait(false);
        await CollectCosignTagAsync(repository, digest, "att", attestations, cancellationToken).ConfigureAwait(false);
        await CollectReferrersAsync(repository, digest, signatures, attestations, cancellationToken).ConfigureAwait(false);

        return new ImageFacts
        {
            Registry = options.Policy.RegistryHost ?? options.Listen,
            Repository = repository,
            Digest = digest,
            Config = config,
            Annotations = document.Annotations ?? new Dictionary<string, string>(),
            LayerDigests = document.IsIndex ? [] : [.. document.References.Select(l => Digest.TryParse(l.Digest, out var d) ? d : (Digest?)null)
                .Where(d => d is not null).Select(d => d!.Value)],
            Signatures = signatures,
            Attestations = attestations,
            Scan = await ScanFactsAsync(digest.ToString(), cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<ImageScanFacts?> ScanFactsAsync(string digest, CancellationToken cancellationToken)
    {
        var inventory = await results.LoadInventoryForMatchingAsync(digest, cancellationToken).ConfigureAwait(false);
        if (inventory is null)
        {
            return null;
        }

        await using var db = await scanDb.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var open = await db.Findings.AsNoTracking().Where(f => f.ManifestDigest == digest && f.ResolvedAt == null).Select(f => f.Document)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var scannedAt = await db.Results.AsNoTracking().Where(r => r.ManifestDigest == digest).Select(r => (DateTimeOffset?)r.MatchedAt)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var vulnerabilities = new List<VulnerabilityFact>(open.Count);
        foreach (var json in open)
        {
            if (JsonSerializer.Deserialize(json, ScanJsonContext.Default.ScanFinding) is { } f)
            {
                vulnerabilities.Add(new VulnerabilityFact
                {
                    Id = f.Finding.Id,
                    Aliases = f.Finding.Ids,
                    Severity = f.Finding.Severity.Rating,
                    FixedVersions = f.Finding.FixedVersions,
                    Package = $"{f.Package.Name} {f.Finding.InstalledVersion}",
                });
            }
        }

        return new ImageScanFacts { Vulnerabilities = vulnerabilities, SecretsFound = inventory.Secrets.Count, ScannedAt = scannedAt };
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
            if (await ReadBlobAsync(layer, MaxSignedBlobBytes, cancellationToken).ConfigureAwait(false) is not { } bytes)
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

    /// <summary>Sigstore bundle referrers: a <c>cosign/sign</c> predicate (or none) is a signature, any other predicate an attestation.</summary>
    private async Task CollectReferrersAsync(string repository, Digest digest, List<SignedMaterial> signatures, List<SignedMaterial> attestations,
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
                if (await ReadBlobAsync(layer, MaxSignedBlobBytes, cancellationToken).ConfigureAwait(false) is not { } bundle)
                {
                    continue;
                }

                var material = new SigstoreBundleMaterial($"{repository}@{referrer.Digest} (referrer)", bundle);
                var predicate = layer.Annotations?.GetValueOrDefault("dev.sigstore.bundle.predicateType")
                    ?? document.Annotations?.GetValueOrDefault("dev.sigstore.bundle.predicateType");
                (predicate is null or InTotoStatement.CosignSignPredicateType ? signatures : attestations).Add(material);
            }
        }
    }

    /// <summary>A blob's bytes when it is stored, at most <paramref name="limit"/> bytes long, and matches its digest; else null.</summary>
    private async Task<byte[]?> ReadBlobAsync(Descriptor descriptor, int limit, CancellationToken cancellationToken)
    {
        if (descriptor.Size < 0 || descriptor.Size > limit || !Digest.TryParse(descriptor.Digest, out var digest) || digest.Algorithm != Digest.Sha256)
        {
            return null;
        }

        var stream = await blobs.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream)
        {
            var buffer = new byte[descriptor.Size];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total == buffer.Length && Convert.ToHexStringLower(SHA256.HashData(buffer)) == digest.Encoded ? buffer : null;
        }
    }
}
