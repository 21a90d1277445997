namespace Bulwark.Policy.Workloads;

/// <summary>
/// One Pod Security control with its versions: the implementation that applies to a Kubernetes version is the last
/// one whose <see cref="VersionedCheck.MinimumMinor"/> is not newer than it; none applies before the first.
/// </summary>
internal sealed record PodSecurityCheck(string Id, PodSecurityLevel Level, IReadOnlyList<VersionedCheck> Versions)
{
    public VersionedCheck? At(int minor) => Versions.LastOrDefault(v => v.MinimumMinor <= minor);
}
