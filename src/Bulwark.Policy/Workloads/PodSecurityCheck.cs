using Bulwark.Policy.Kubernetes;

namespace Bulwark.Policy.Workloads;

/// <summary>
/// One Pod Security control with its versions: the implementation that applies to a Kubernetes version is the last
/// one whose <see cref="VersionedCheck.MinimumMinor"/> is not newer than it; none applies before the first.
/// </summary>
internal sealed record PodSecurityCheck(string Id, PodSecurityLevel Level, IReadOnlyList<VersionedCheck> Versions)
{
    public VersionedCheck? At(int minor) => Versions.LastOrDefault(v => v.MinimumMinor <= minor);
}

/// <summary>One version of a control. A restricted control may replace (override) baseline controls while it applies.</summary>
internal sealed record VersionedCheck(int MinimumMinor, Func<ObjectMeta, PodSpec, CheckFailure?> Evaluate, IReadOnlyList<string>? Overrides = null);

/// <summary>A control's verdict against a pod: upstream's forbidden reason and detail, and the containers named.</summary>
internal sealed record CheckFailure(string Reason, string Detail, IReadOnlyList<string>? Containers = null);
