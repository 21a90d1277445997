using Bulwark.Oci;
using Bulwark.Policy.Images;
using Bulwark.Registry.Manifests;
using Bulwark.Registry.Metadata;
using Bulwark.Server.Scanning;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Policy;

/// <summary>
/// Decides about one image in one repository with the policies in force, and stores the decision when it differs
/// from the current one (status, reasons or policy versions). An image is <c>pending</c> until its scan is stored,
/// <c>fail</c> when its scan failed for good or an enforced rule of any policy failed, else <c>pass</c> (failed audit
/// rules become <c>warning:</c> reasons). An index is decided from its platform images: fail if one fails, pending
/// while one is undecided, else pass; deciding an image also decides the indexes of the repository that list it.
/// Artifacts (manifests with a subject or an artifact type) are never decided.
/// </summary>
public sealed class ImageDecisionEvaluator(
    PolicyStore policies,
    ImageDecisionStore decisions,
    ImageFactsCollector facts,
    ManifestService manifests,
    IDbContextFactory<RegistryDbContext> registryDb,
    IDbContextFactory<ScanDbContext> scanDb,
    TimeProvider time)
{
    public const string ScanNotFinished = "scan not finished";

    /// <summary>Decides and stores; returns the current decision, or null when the image is not decided (no policy, gone, an artifact).</summary>
    public Task<ImageDecision?> EvaluateAsync(string repository, string digest, CancellationToken cancellationToken) =>
        EvaluateAsync(repository, digest, depth: 0, cancellationToken);

    /// <summary>Records <c>pending</c> for a newly pushed image unless it already has a decision in the repository.</summary>
    public async Task<ImageDecision?> RecordPushAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        var active = await policies.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        if (active.Count == 0 || await decisions.GetAsync(repository, digest, cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }

        return await decisions.RecordAsync(repository, digest, DecisionStatus.Pending, [ScanNotFinished], Label(active), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<ImageDecision?> EvaluateAsync(string repository, string digest, int depth, CancellationToken cancellationToken)
    {
        var active = await policies.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        if (active.Count == 0 || !Digest.TryParse(digest, out var parsed))
        {
            return null;
        }

        var stored = await manifests.FindAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        var document = ManifestParser.Parse(await manifests.ReadContentAsync(stored, cancellationToken).ConfigureAwait(false), stored.MediaType);
        if (!ScanOnPushSink.IsImage(document))
        {
            return null;
        }

        var (status, reasons) = document.IsIndex
            ? await DecideIndexAsync(repository, document, cancellationToken).ConfigureAwait(false)
            : await DecideImageAsync(repository, parsed, active, cancellationToken).ConfigureAwait(false);
        var label = Label(active);
        var current = await decisions.GetAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        var decision = current is not null && current.Status == status && current.PolicyVersion == label && current.Reasons.SequenceEqual(reasons)
            ? current
            : await decisions.RecordAsync(repository, digest, status, reasons, label, cancellationToken).ConfigureAwait(false);

        if (!document.IsIndex && depth == 0)
        {
            foreach (var index in await IndexesListingAsync(repository, digest, cancellationToken).ConfigureAwait(false))
            {
                await EvaluateAsync(repository, index, depth + 1, cancellationToken).ConfigureAwait(false);
            }
        }

        return decision;
    }

    private async Task<(DecisionStatus, IReadOnlyList<string>)> DecideImageAsync(string repository, Digest digest, IReadOnlyList<ActivePolicy> active,
        CancellationToken cancellationToken)
    {
        var image = await facts.CollectAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        if (image?.Scan is null)
        {
            var error = await ScanErrorAsync(repository, digest.ToString(), cancellationToken).ConfigureAwait(false);
            return error is null ? (DecisionStatus.Pending, [ScanNotFinished]) : (DecisionStatus.Fail, [$"scan failed: {error}"]);
        }

        var failures = new List<string>();
        var notes = new List<string>();
        foreach (var policy in active)
        {
            if (policy.Document is null)
            {
                failures.Add($"policy {policy.Label} cannot be read by this server version");
                continue;
            }

            var decision = await ImagePolicyEvaluator.EvaluateAsync(policy.Document, image, time, cancellationToken).ConfigureAwait(false);
            failures.AddRange(decision.FailureReasons.Select(r => $"{policy.Name}: {r}"));
            notes.AddRange(decision.Warnings.SelectMany(w => w.Checks.Where(c => !c.Passed)
                .SelectMany(c => c.Reasons.Select(r => $"warning: {policy.Name}: {w.Name}: {r}"))));
        }

        return failures.Count > 0 ? (DecisionStatus.Fail, failures) : (DecisionStatus.Pass, notes);
    }

    private async Task<(DecisionStatus, IReadOnlyList<string>)> DecideIndexAsync(string repository, ManifestDocument index, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var pending = false;
        foreach (var child in ScanOnPushSink.PlatformManifests(index))
        {
            var decision = await decisions.GetAsync(repository, child.Digest, cancellationToken).ConfigureAwait(false);
            switch (decision?.Status)
            {
                case DecisionStatus.Fail:
                    failures.AddRange(decision.Reasons.Select(r => $"{child.Digest}: {r}"));
                    break;
                case DecisionStatus.Pass:
                    break;
                default:
                    pending = true;
                    break;
            }
        }

        return failures.Count > 0 ? (DecisionStatus.Fail, failures)
            : pending ? (DecisionStatus.Pending, [ScanNotFinished])
            : (DecisionStatus.Pass, []);
    }

    private async Task<string?> ScanErrorAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        await using var db = await scanDb.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Jobs.AsNoTracking()
            .Where(j => j.Repository == repository && j.ManifestDigest == digest && j.Status == ScanStatus.Failed)
            .Select(j => j.Error ?? "unknown error")
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<string>> IndexesListingAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        await using var db = await registryDb.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await (
            from r in db.Repositories
            join m in db.ManifestReferences on r.Id equals m.RepositoryId
            where r.Name == repository && m.ReferencedDigest == digest && m.IsManifest
            select m.ManifestDigest).Distinct().Take(100).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Label(IReadOnlyList<ActivePolicy> active) => string.Join(',', active.Select(p => p.Label));
}
