using Bulwark.Oci;
using Bulwark.Policy.Admission;
using Bulwark.Registry.Manifests;
using Bulwark.Server.Scanning;
using Microsoft.Extensions.Caching.Memory;

namespace Bulwark.Server.Admission;

/// <summary>
/// <para>What this server knows about an image, for the admission webhook:</para>
/// <list type="bullet">
/// <item>resolution: the registry metadata (<see cref="ManifestService.FindAsync"/>: tag → digest, or the digest itself);</item>
/// <item>decision: the registry's stored policy decision (<see cref="Policy.IImageDecisions"/>, the same one the quarantine gate
/// enforces: pending, pass or fail with the failing rules as reasons) when there is one; an image pushed while no
/// policy was stored has none, and is judged by its scan (<see cref="ScanReader"/>): job <c>done</c> → Pass,
/// <c>pending</c>/<c>scanning</c> → Pending, <c>failed</c> → Fail (the scan error as reason), no job but a stored
/// inventory for the digest (pushed elsewhere) → Pass, nothing → Unknown;</item>
/// <item>signature: not verified here — the image policy's <c>requireSignature</c> rule verifies signatures against its
/// trusted keys and its result is part of the decision; the webhook's own <c>requireSignature</c> setting sees
/// <c>null</c> and denies.</item>
/// </list>
/// <para>Passing facts are cached for <see cref="AdmissionSettings.CacheDuration"/> (a tag moved or an image quarantined is seen after at most that).</para>
/// </summary>
public sealed class RegistryAdmissionImageFacts(ManifestService manifests, ScanReader scans, ScanResultStore results, Policy.IImageDecisions decisions,
    AdmissionSettings settings)
    : IAdmissionImageFacts, IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public void Dispose() => _cache.Dispose();

    public async ValueTask<AdmissionImageFacts> GetAsync(ImageReference image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var key = $"{image.Repository}|{image.ManifestReference}";
        if (_cache.TryGetValue(key, out AdmissionImageFacts? cached) && cached is not null)
        {
            return cached;
        }

        var manifest = await manifests.FindAsync(image.Repository, image.ManifestReference, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return AdmissionImageFacts.NotFound;
        }

        var digest = manifest.Digest.ToString();
        var facts = await decisions.GetAsync(image.Repository, digest, cancellationToken).ConfigureAwait(false) is { } decided
            ? new AdmissionImageFacts(manifest.Digest, decided.Status switch
            {
                Policy.DecisionStatus.Pass => ImageDecision.Pass,
                Policy.DecisionStatus.Fail => ImageDecision.Fail,
                _ => ImageDecision.Pending,
            }, decided.Reasons, null)
            : await ScanFactsAsync(image, manifest.Digest, cancellationToken).ConfigureAwait(false);
        if (facts.Decision == ImageDecision.Pass && settings.CacheDuration > TimeSpan.Zero)
        {
            _cache.Set(key, facts, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = settings.CacheDuration });
        }

        return facts;
    }

    private async Task<AdmissionImageFacts> ScanFactsAsync(ImageReference image, Digest digest, CancellationToken cancellationToken)
    {
        var scan = await scans.GetAsync(image.Repository, digest.ToString(), cancellationToken).ConfigureAwait(false);
        return scan?.Status switch
        {
            "done" => new AdmissionImageFacts(digest, ImageDecision.Pass, [], null),
            "pending" or "scanning" => new AdmissionImageFacts(digest, ImageDecision.Pending, [$"scan {scan.Status}"], null),
            "failed" => new AdmissionImageFacts(digest, ImageDecision.Fail, [$"scan failed: {scan.Error}"], null),
            _ when await results.HasInventoryAsync(digest.ToString(), cancellationToken).ConfigureAwait(false) =>
                new AdmissionImageFacts(digest, ImageDecision.Pass, [], null),
            _ => new AdmissionImageFacts(digest, ImageDecision.Unknown, [], null),
        };
    }
}
