using Bulwark.Oci;
using Bulwark.Policy.Admission;
using Bulwark.Registry.Manifests;
using Bulwark.Server.Scanning;
using Microsoft.Extensions.Caching.Memory;

namespace Bulwark.Server.Admission;

/// <summary>
/// <para>
/// THE SEAM between the admission webhook and what this server knows about images — the one class to rewire when the
/// quarantine decision store (<c>IImageDecisions</c>) and the image policy land. Today it answers from:
/// </para>
/// <list type="bullet">
/// <item>resolution: the registry metadata (<see cref="ManifestService.FindAsync"/>: tag → digest, or the digest itself);</item>
/// <item>decision: the scan queue and stored results (<see cref="ScanReader"/>): job <c>done</c> → Pass, <c>pending</c>/<c>scanning</c> →
/// Pending, <c>failed</c> → Fail (the scan error as reason), no job but a stored inventory for the digest (pushed elsewhere) → Pass,
/// nothing → Unknown. There is no vulnerability policy yet, so "scanned" is "passing";</item>
/// <item>signature: not verified here (no trusted keys on the server yet): <c>null</c>, which <c>requireSignature</c> denies.</item>
/// </list>
/// <para>Passing facts are cached for <see cref="AdmissionSettings.CacheDuration"/> (a tag moved or an image quarantined is seen after at most that).</para>
/// </summary>
public sealed class RegistryAdmissionImageFacts(ManifestService manifests, ScanReader scans, ScanResultStore results, AdmissionSettings settings)
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
        var scan = await scans.GetAsync(image.Repository, digest, cancellationToken).ConfigureAwait(false);
        var facts = scan?.Status switch
        {
            "done" => new AdmissionImageFacts(manifest.Digest, ImageDecision.Pass, [], null),
            "pending" or "scanning" => new AdmissionImageFacts(manifest.Digest, ImageDecision.Pending, [$"scan {scan.Status}"], null),
            "failed" => new AdmissionImageFacts(manifest.Digest, ImageDecision.Fail, [$"scan failed: {scan.Error}"], null),
            _ when await results.HasInventoryAsync(digest, cancellationToken).ConfigureAwait(false) =>
                new AdmissionImageFacts(manifest.Digest, ImageDecision.Pass, [], null),
            _ => new AdmissionImageFacts(manifest.Digest, ImageDecision.Unknown, [], null),
        };
        if (facts.Decision == ImageDecision.Pass && settings.CacheDuration > TimeSpan.Zero)
        {
            _cache.Set(key, facts, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = settings.CacheDuration });
        }

        return facts;
    }
}
