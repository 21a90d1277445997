using Bulwark.Oci;
using Bulwark.Policy.Admission;
using Bulwark.Policy.Images;
using Bulwark.Registry.Manifests;
using Bulwark.Server.Policy;
using Bulwark.Server.Scanning;
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
/// The cache (<see cref="RefreshAheadCache{T}"/>) reloads an image in use in the background before its facts expire, and
/// concurrent reviews that miss share one lookup: at a steady rate no review waits for the database.
/// </para>
/// </summary>
public sealed class RegistryAdmissionImageFacts(ManifestService manifests, ScanReader scans, ScanResultStore results, IImageDecisions decisions,
    SignedMaterialCollector signedMaterial, AdmissionOptions options, AdmissionSettings settings, TimeProvider time)
    : IAdmissionImageFacts
{
    /// <summary>Most image references (and, with signatures required, digests) whose facts are held at once.</summary>
    public const int CacheCapacity = 10_000;

    private readonly RefreshAheadCache<AdmissionImageFacts> _facts = new(settings.CacheDuration, CacheCapacity, time);
    private readonly RefreshAheadCache<CheckResult> _signatures = new(settings.CacheDuration, CacheCapacity, time);

    public ValueTask<AdmissionImageFacts> GetAsync(ImageReference image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return _facts.GetAsync($"{image.Repository}|{image.ManifestReference}", async () =>
        {
            var facts = await LoadAsync(image).ConfigureAwait(false);
            return (facts, facts.Decision == ImageDecision.Pass && facts.SignatureVerified != false);
        }, cancellationToken);
    }

    /// <summary>Completes when no lookup or background refresh of the cache is running (for tests: a refresh's outcome is then in the cache).</summary>
    public Task IdleAsync() => Task.WhenAll(_facts.IdleAsync(), _signatures.IdleAsync());

    // Shared by every review waiting for this reference, so no caller's token: the lookups are short database reads.
    private async Task<AdmissionImageFacts> LoadAsync(ImageReference image)
    {
        var manifest = await manifests.FindAsync(image.Repository, image.ManifestReference, CancellationToken.None).ConfigureAwait(false);
        if (manifest is null)
        {
            return AdmissionImageFacts.NotFound;
        }

        var digest = manifest.Digest.ToString();
        var facts = await decisions.GetAsync(image.Repository, digest, CancellationToken.None).ConfigureAwait(false) is { } decided
            ? new AdmissionImageFacts(manifest.Digest, decided.Status switch
            {
                DecisionStatus.Pass => ImageDecision.Pass,
                DecisionStatus.Fail => ImageDecision.Fail,
                _ => ImageDecision.Pending,
            }, decided.Reasons, null)
            : await ScanFactsAsync(image, manifest.Digest, CancellationToken.None).ConfigureAwait(false);
        if (options.RequireSignature && options.SignatureKeys is { } required)
        {
            var signature = await _signatures.GetAsync($"{image.Repository}@{manifest.Digest}",
                async () =>
                {
                    var result = await CheckSignatureAsync(image.Repository, manifest.Digest, required).ConfigureAwait(false);
                    return (result, result.Passed);
                }, CancellationToken.None).ConfigureAwait(false);
            facts = facts with { SignatureVerified = signature.Passed, SignatureReasons = signature.Reasons };
        }

        return facts;
    }

    private async Task<CheckResult> CheckSignatureAsync(string repository, Digest digest, SignatureRequirement required)
    {
        try
        {
            var found = await signedMaterial.CollectAsync(repository, digest, includeAttestations: false, CancellationToken.None).ConfigureAwait(false);
            return ImagePolicyEvaluator.CheckSignatures(required, digest, found.Signatures);
        }
        catch (ManifestFormatException e)
        {
            // Stored manifests were validated on push, so this is damage; it denies, as any unverified image is denied.
            return new CheckResult(PolicyCheckKind.RequireSignature, false, [$"the signatures of {digest} cannot be read: {e.Message}"]);
        }
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
