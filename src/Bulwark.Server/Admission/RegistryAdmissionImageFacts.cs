using Bulwark.Oci;
using Bulwark.Policy.Admission;
using Bulwark.Policy.Images;
using Bulwark.Registry.Manifests;
using Bulwark.Server.Policy;
using Bulwark.Server.Scanning;
using Microsoft.Extensions.Caching.Memory;
using ImageDecision = Bulwark.Policy.Admission.ImageDecision;

namespace Bulwark.Server.Admission;

/// <summary>
/// <para>What this server knows about an image, for the admission webhook:</para>
/// <list type="bullet">
/// <item>resolution: the registry metadata (<see cref="ManifestService.FindAsync"/>: tag → digest, or the digest itself);</item>
/// <item>decision: the registry's stored policy decision (<see cref="IImageDecisions"/>, the same one the quarantine gate
/// enforces: pending, pass or fail with the failing rules as reasons) when there is one; an image pushed while no
/// policy was stored has none, and is judged by its scan (<see cref="ScanReader"/>): job <c>done</c> → Pass,
/// <c>pending</c>/<c>scanning</c> → Pending, <c>failed</c> → Fail (the scan error as reason), no job but a stored
/// inventory for the digest (pushed elsewhere) → Pass, nothing → Unknown;</item>
/// <item>signature, when <see cref="AdmissionOptions.RequireSignature"/> is on: the digest's signatures in both storage
/// forms, found by the image policy's <see cref="SignedMaterialCollector"/> and verified by its
/// <see cref="ImagePolicyEvaluator.CheckSignatures"/> against <see cref="AdmissionOptions.SignatureKeys"/> — the same
/// code, so the webhook and a policy's <c>requireSignature</c> rule cannot disagree about a signature. Not checked
/// (null) when signatures are not required.</item>
/// </list>
/// <para>
/// Facts are cached for <see cref="AdmissionSettings.CacheDuration"/> only when they pass (decision pass and, when
/// required, signature verified): a tag moved or an image quarantined is seen after at most that, and a failing image is
/// looked at afresh every time, so a signature pushed after a denial counts at once. A passing signature check is also
/// cached per digest for the same time, so that every tag and the digest reference of one image share one verification.
/// </para>
/// </summary>
public sealed class RegistryAdmissionImageFacts(ManifestService manifests, ScanReader scans, ScanResultStore results, IImageDecisions decisions,
    SignedMaterialCollector signedMaterial, AdmissionOptions options, AdmissionSettings settings)
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
                DecisionStatus.Pass => ImageDecision.Pass,
                DecisionStatus.Fail => ImageDecision.Fail,
                _ => ImageDecision.Pending,
            }, decided.Reasons, null)
            : await ScanFactsAsync(image, manifest.Digest, cancellationToken).ConfigureAwait(false);
        if (options.RequireSignature && options.SignatureKeys is { } required)
        {
            var signature = await CheckSignatureAsync(image.Repository, manifest.Digest, required, cancellationToken).ConfigureAwait(false);
            facts = facts with { SignatureVerified = signature.Passed, SignatureReasons = signature.Reasons };
        }

        if (facts.Decision == ImageDecision.Pass && facts.SignatureVerified != false && settings.CacheDuration > TimeSpan.Zero)
        {
            _cache.Set(key, facts, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = settings.CacheDuration });
        }

        return facts;
    }

    private async Task<CheckResult> CheckSignatureAsync(string repository, Digest digest, SignatureRequirement required, CancellationToken cancellationToken)
    {
        var key = $"signature|{repository}@{digest}";
        if (_cache.TryGetValue(key, out CheckResult? cached) && cached is not null)
        {
            return cached;
        }

        CheckResult result;
        try
        {
            var found = await signedMaterial.CollectAsync(repository, digest, includeAttestations: false, cancellationToken).ConfigureAwait(false);
            result = ImagePolicyEvaluator.CheckSignatures(required, digest, found.Signatures);
        }
        catch (ManifestFormatException e)
        {
            // Stored manifests were validated on push, so this is damage; it denies, as any unverified image is denied.
            return new CheckResult(PolicyCheckKind.RequireSignature, false, [$"the signatures of {digest} cannot be read: {e.Message}"]);
        }

        if (result.Passed && settings.CacheDuration > TimeSpan.Zero)
        {
            _cache.Set(key, result, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = settings.CacheDuration });
        }

        return result;
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
