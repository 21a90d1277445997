using System.Text.Json;
using Bulwark.Audit;
using Bulwark.Audit.Records;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Policy;

/// <summary>
/// Stores every decision (history is kept: rows are only added) and audits each as <c>policy.decision</c> by the
/// system actor, with the status, the policies evaluated and the reasons.
/// </summary>
public sealed class ImageDecisionStore(IDbContextFactory<PolicyDbContext> dbFactory, IAuditLog audit, TimeProvider time) : IImageDecisions
{
    /// <summary>The most reasons stored with one decision; the rest are summarised in one last reason.</summary>
    public const int MaxReasons = 100;

    /// <summary>The longest reason stored; longer ones are cut.</summary>
    public const int MaxReasonLength = 1000;

    public async Task<ImageDecision?> GetAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entity = await db.Decisions.AsNoTracking()
            .Where(d => d.Repository == repository && d.ManifestDigest == digest)
            .OrderByDescending(d => d.Id)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToDecision(entity);
    }

    public async Task<IReadOnlyList<ImageDecision>> GetHistoryAsync(string repository, string digest, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entities = await db.Decisions.AsNoTracking()
            .Where(d => d.Repository == repository && d.ManifestDigest == digest)
            .OrderByDescending(d => d.Id)
            .Take(Math.Clamp(limit, 1, 1000))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. entities.Select(ToDecision)];
    }

    /// <summary>The current decisions of every repository holding <paramref name="digest"/>.</summary>
    public async Task<IReadOnlyList<ImageDecision>> GetAllRepositoriesAsync(string digest, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var latest = await db.Decisions.AsNoTracking()
            .Where(d => d.ManifestDigest == digest)
            .GroupBy(d => d.Repository)
            .Select(g => g.Max(d => d.Id))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var entities = await db.Decisions.AsNoTracking().Where(d => latest.Contains(d.Id)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. entities.Select(ToDecision)];
    }

    /// <summary>Every (repository, digest) that has a decision, a page at a time in id order of their first decision.</summary>
    public async Task<IReadOnlyList<(long Id, string Repository, string Digest)>> ListDecidedAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Decisions.AsNoTracking()
            .GroupBy(d => new { d.Repository, d.ManifestDigest })
            .Select(g => new { Id = g.Min(d => d.Id), g.Key.Repository, g.Key.ManifestDigest })
            .Where(r => r.Id > after)
            .OrderBy(r => r.Id)
            .Take(limit)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => (r.Id, r.Repository, r.ManifestDigest))];
    }

    /// <summary>Stores a decision and audits it; returns it as stored (reasons bounded).</summary>
    public async Task<ImageDecision> RecordAsync(string repository, string digest, DecisionStatus status, IEnumerable<string> reasons,
        string policyVersion, CancellationToken cancellationToken)
    {
        var bounded = Bound(reasons);
        var entity = new ImageDecisionEntity
        {
            Repository = repository,
            ManifestDigest = digest,
            Status = status,
            Reasons = JsonSerializer.Serialize(bounded, PolicyJsonContext.Default.ListString),
            PolicyVersion = policyVersion.Length > 1024 ? policyVersion[..1024] : policyVersion,
            EvaluatedAt = time.GetUtcNow(),
        };
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            db.Decisions.Add(entity);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        var decision = ToDecision(entity);
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["status"] = StatusName(status),
            ["policy"] = decision.PolicyVersion,
        };
        await audit.AppendAsync(new AuditEvent(AuditActor.System, AuditActions.PolicyDecision, $"{repository}@{digest}", AuditOutcome.Success,
            Reason: bounded.Count == 0 ? null : string.Join("; ", bounded), Details: details), CancellationToken.None).ConfigureAwait(false);
        return decision;
    }

    /// <summary>The wire name of a status (<c>pending</c>, <c>pass</c>, <c>fail</c>).</summary>
    public static string StatusName(DecisionStatus status) => status switch
    {
        DecisionStatus.Pending => "pending",
        DecisionStatus.Pass => "pass",
        _ => "fail",
    };

    private static List<string> Bound(IEnumerable<string> reasons)
    {
        var all = reasons.Select(r => r.Length > MaxReasonLength ? r[..MaxReasonLength] : r).ToList();
        if (all.Count <= MaxReasons)
        {
            return all;
        }

        var kept = all.Take(MaxReasons - 1).ToList();
        kept.Add($"… and {all.Count - kept.Count} more");
        return kept;
    }

    private static ImageDecision ToDecision(ImageDecisionEntity e) => new(e.Repository, e.ManifestDigest, e.Status,
        JsonSerializer.Deserialize(e.Reasons, PolicyJsonContext.Default.ListString) ?? [], e.PolicyVersion, e.EvaluatedAt);
}
