using System.Text.RegularExpressions;
using Bulwark.Oci;
using Bulwark.Registry.Events;
using Bulwark.Registry.Manifests;
using Bulwark.Server.Scanning;

namespace Bulwark.Server.Policy;

/// <summary>
/// On a push: a new image (or index) is recorded <c>pending</c> while a policy is stored — before the scan is queued,
/// so a fast scan cannot be overtaken; a signature or attestation (a referrer, or cosign's <c>sha256-&lt;hex&gt;.sig</c> /
/// <c>.att</c> tag) has its subject re-evaluated in the background.
/// </summary>
public sealed partial class PolicyRegistrySink(ManifestService manifests, ImageDecisionEvaluator evaluator, PolicyReevaluation reevaluation)
    : IRegistryEventSink
{
    public bool WantsPulls => false;

    public async Task OnEventAsync(HttpContext context, RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registryEvent);
        if (registryEvent.Kind != RegistryEventKind.ManifestPushed || registryEvent.Digest is null)
        {
            return;
        }

        if (registryEvent.SubjectDigest is { } subject)
        {
            reevaluation.Request(registryEvent.Repository, subject);
            return;
        }

        if (registryEvent.Tag is { } tag && CosignTag().Match(tag) is { Success: true } match)
        {
            reevaluation.Request(registryEvent.Repository, $"sha256:{match.Groups["hex"].Value}");
            return;
        }

        var stored = await manifests.FindAsync(registryEvent.Repository, registryEvent.Digest, cancellationToken).ConfigureAwait(false);
        if (stored is not null
            && ScanOnPushSink.IsImage(ManifestParser.Parse(await manifests.ReadContentAsync(stored, cancellationToken).ConfigureAwait(false), stored.MediaType)))
        {
            await evaluator.RecordPushAsync(registryEvent.Repository, registryEvent.Digest, cancellationToken).ConfigureAwait(false);
        }
    }

    [GeneratedRegex("^sha256-(?<hex>[0-9a-f]{64})\\.(sig|att)$", RegexOptions.CultureInvariant)]
    private static partial Regex CosignTag();
}
