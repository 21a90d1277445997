using System.Text.Json;
using Bulwark.Oci;
using Bulwark.Policy.Images;
using Bulwark.Registry.Manifests;
using Bulwark.Server.Configuration;
using Bulwark.Server.Scanning;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Policy;

/// <summary>
/// Gathers the <see cref="ImageFacts"/> of an image in this registry from its own storage: the manifest and its
/// config, its signatures and attestations (<see cref="SignedMaterialCollector"/>, which the admission webhook shares),
/// and the stored scan (open findings, secrets). Every blob read is bounded; signatures are only found here — the
/// evaluator verifies them.
/// </summary>
public sealed class ImageFactsCollector(
    ManifestService manifests,
    StoredBlobReader blobs,
    SignedMaterialCollector signatures,
    ScanResultStore results,
    IDbContextFactory<ScanDbContext> scanDb,
    ServerOptions options)
{
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
            && await blobs.ReadAsync(configDescriptor, ImageConfig.MaxLength, cancellationToken).ConfigureAwait(false) is { } configBytes)
        {
            config = ImageConfig.Parse(configBytes);
        }

        var material = await signatures.CollectAsync(repository, digest, includeAttestations: true, cancellationToken).ConfigureAwait(false);
        return new ImageFacts
        {
            Registry = options.Policy.RegistryHost ?? options.Listen,
            Repository = repository,
            Digest = digest,
            Config = config,
            Annotations = document.Annotations ?? new Dictionary<string, string>(),
            LayerDigests = document.IsIndex ? [] : [.. document.References.Select(l => Digest.TryParse(l.Digest, out var d) ? d : (Digest?)null)
                .Where(d => d is not null).Select(d => d!.Value)],
            Signatures = material.Signatures,
            Attestations = material.Attestations,
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
}
