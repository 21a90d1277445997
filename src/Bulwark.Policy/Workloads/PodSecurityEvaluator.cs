using Bulwark.Policy.Kubernetes;

namespace Bulwark.Policy.Workloads;

/// <summary>
/// Evaluates a pod against a Pod Security Standards level at a Kubernetes version, as upstream's check registry does:
/// the baseline controls, plus at restricted the restricted controls, each in the version that applies; a restricted
/// control replaces the baseline controls it overrides while it applies. Baseline controls run first, then
/// restricted, each group ordered by id, so violations come out in upstream's order.
/// </summary>
public static class PodSecurityEvaluator
{
    private static readonly IReadOnlyList<PodSecurityCheck> Ordered = PodSecurityChecks.All
        .OrderBy(c => c.Level)
        .ThenBy(c => c.Id, StringComparer.Ordinal)
        .ToList();

    /// <summary>The newest Kubernetes minor version in which a control changed; <c>latest</c> and newer versions evaluate as this one.</summary>
    public static int NewestMinor { get; } = PodSecurityChecks.All.SelectMany(c => c.Versions).Max(v => v.MinimumMinor);

    /// <summary>The ids of the controls that apply at a level and version, in evaluation order.</summary>
    public static IReadOnlyList<string> Controls(PodSecurityLevel level, PodSecurityVersion version) =>
        Applicable(level, version).Select(a => a.Check.Id).ToList();

    /// <summary>Every violation of the pod at the level and version; an empty list means the pod is allowed.</summary>
    public static IReadOnlyList<PodSecurityViolation> Evaluate(PodSecurityLevel level, PodSecurityVersion version, ObjectMeta podMetadata, PodSpec podSpec)
    {
        ArgumentNullException.ThrowIfNull(podMetadata);
        ArgumentNullException.ThrowIfNull(podSpec);
        var violations = new List<PodSecurityViolation>();
        foreach (var (check, versioned) in Applicable(level, version))
        {
            if (versioned.Evaluate(podMetadata, podSpec) is { } failure)
            {
                violations.Add(new PodSecurityViolation(check.Id, failure.Reason, failure.Detail, failure.Containers ?? []));
            }
        }

        return violations;
    }

    private static List<(PodSecurityCheck Check, VersionedCheck Versioned)> Applicable(PodSecurityLevel level, PodSecurityVersion version)
    {
        if (level == PodSecurityLevel.Privileged)
        {
            return [];
        }

        var minor = version.IsLatest ? NewestMinor : Math.Min(version.Minor, NewestMinor);
        var selected = Ordered
            .Where(c => c.Level <= level)
            .Select(c => (Check: c, Versioned: c.At(minor)))
            .Where(c => c.Versioned is not null)
            .Select(c => (c.Check, Versioned: c.Versioned!))
            .ToList();
        var overridden = selected.Where(c => c.Check.Level == PodSecurityLevel.Restricted)
            .SelectMany(c => c.Versioned.Overrides ?? [])
            .ToHashSet(StringComparer.Ordinal);
        return selected.Where(c => c.Check.Level != PodSecurityLevel.Baseline || !overridden.Contains(c.Check.Id)).ToList();
    }
}
