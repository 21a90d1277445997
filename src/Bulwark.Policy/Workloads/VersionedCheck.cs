using Bulwark.Policy.Kubernetes;

namespace Bulwark.Policy.Workloads;

/// <summary>One version of a control. A restricted control may replace (override) baseline controls while it applies.</summary>
internal sealed record VersionedCheck(int MinimumMinor, Func<ObjectMeta, PodSpec, CheckFailure?> Evaluate, IReadOnlyList<string>? Overrides = null);
