using Bulwark.Server.Configuration;
using Bulwark.Server.Scanning;

namespace Bulwark.Server.Policy;

/// <summary>
/// Decides an image when its scan ends, and — with <c>policy.reevaluateOnUpdate</c> — every decided image again when a
/// re-match after an advisory update ends (before the update request returns), so a passing image can be quarantined again.
/// </summary>
public sealed class PolicyScanEventSink(ImageDecisionEvaluator evaluator, PolicyReevaluation reevaluation, ServerOptions options) : IScanEventSink
{
    public Task NewFindingsAsync(NewFindingsEvent newFindings, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task ScanFinishedAsync(ScanFinishedEvent finished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finished);
        await evaluator.EvaluateAsync(finished.Repository, finished.ManifestDigest, cancellationToken).ConfigureAwait(false);
    }

    public async Task RematchFinishedAsync(RematchSummary summary, CancellationToken cancellationToken)
    {
        if (options.Policy.ReevaluateOnUpdate)
        {
            await reevaluation.ReevaluateAllAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
