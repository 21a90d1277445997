using Bulwark.Policy.Admission;
using Bulwark.Policy.Kubernetes;

namespace Bulwark.Policy.Workloads;

/// <summary>The Pod Security decision for one pod or workload.</summary>
/// <param name="LevelSource"><c>namespace</c> when a Namespace document's label chose the level, else <c>default</c>.</param>
/// <param name="Exemption">Why the workload was not evaluated (<c>namespace "kube-system"</c>…); null when it was.</param>
public sealed record WorkloadResult(
    PodWorkload Workload,
    string Namespace,
    PodSecurityLevel Level,
    PodSecurityVersion Version,
    string LevelSource,
    string? Exemption,
    IReadOnlyList<PodSecurityViolation> Violations)
{
    /// <summary>The image rules a Bulwark server found broken (<c>k8s check --server</c>); empty when none were asked for.</summary>
    public IReadOnlyList<AdmissionFinding> ImageFindings { get; init; } = [];

    /// <summary>Allowed by Pod Security (or exempt from it) and by every image rule; exemptions do not cover image rules.</summary>
    public bool Allowed => (Exemption is not null || Violations.Count == 0) && ImageFindings.Count == 0;
}
