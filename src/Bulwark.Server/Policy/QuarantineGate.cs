using Bulwark.Identity.Permissions;
using Bulwark.Oci;
using Bulwark.Registry;
using Bulwark.Registry.Http;
using Bulwark.Registry.Manifests;
using Bulwark.Registry.Metadata;
using Bulwark.Server.Configuration;
using Bulwark.Server.Scanning;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Policy;

/// <summary>
/// Keeps quarantined images from being pulled: a manifest (GET or HEAD, by tag or digest) whose current decision in
/// the repository is not <c>pass</c>, and a blob (GET) that only such manifests of the repository reference, are
/// refused with <c>403 DENIED</c> and the reasons — unless the caller holds quarantine/read on the repository
/// (the <c>quarantine-reader</c> role, system admins). Manifests with a <c>subject</c> (signatures, SBOMs,
/// attestations) and images without a decision (pushed while no policy was stored) are never held. Off when
/// <c>policy.quarantine</c> is false or no policy is stored.
/// </summary>
public sealed class QuarantineGate(
    ImageDecisionStore decisions,
    PolicyStore policies,
    IDbContextFactory<RegistryDbContext> registryDb,
    ServerOptions options) : IRegistryContentGate
{
    public async Task CheckManifestAsync(HttpContext context, string repository, StoredManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.SubjectDigest is not null || !await IsOnAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var decision = await decisions.GetAsync(repository, manifest.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        if (decision is { Quarantined: true } && !await MayReadQuarantinedAsync(context, repository, cancellationToken).ConfigureAwait(false))
        {
            throw Denied(decision);
        }
    }

    public async Task CheckBlobAsync(HttpContext context, string repository, Digest digest, CancellationToken cancellationToken)
    {
        if (!await IsOnAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var text = digest.ToString();
        List<string> referencing;
        await using (var db = await registryDb.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            referencing = await (
                from r in db.Repositories
                join m in db.ManifestReferences on r.Id equals m.RepositoryId
                where r.Name == repository && m.ReferencedDigest == text && !m.IsManifest
                select m.ManifestDigest).Distinct().Take(100).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        // A blob no manifest references yet (an upload in progress) or one a released image shares is readable.
        ImageDecision? held = null;
        foreach (var manifest in referencing)
        {
            var decision = await decisions.GetAsync(repository, manifest, cancellationToken).ConfigureAwait(false);
            if (decision is not { Quarantined: true })
            {
                return;
            }

            held ??= decision;
        }

        if (held is not null && !await MayReadQuarantinedAsync(context, repository, cancellationToken).ConfigureAwait(false))
        {
            throw Denied(held);
        }
    }

    private async ValueTask<bool> IsOnAsync(CancellationToken cancellationToken) =>
        options.Policy.Quarantine && await policies.AnyAsync(cancellationToken).ConfigureAwait(false);

    private static async ValueTask<bool> MayReadQuarantinedAsync(HttpContext context, string repository, CancellationToken cancellationToken) =>
        (await RepositoryAccess.GrantedAsync(context, repository, cancellationToken).ConfigureAwait(false) & RegistryActions.QuarantineRead) != 0;

    private static RegistryException Denied(ImageDecision decision)
    {
        var reasons = decision.Status == DecisionStatus.Pending && decision.Reasons.Count == 0 ? ["scan not finished"] : decision.Reasons;
        return new RegistryException(RegistryErrorCode.Denied,
            $"image is quarantined ({ImageDecisionStore.StatusName(decision.Status)}): {string.Join("; ", reasons)}",
            new { status = ImageDecisionStore.StatusName(decision.Status), reasons, policy = decision.PolicyVersion });
    }
}
