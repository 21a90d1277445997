namespace Bulwark.Policy.Workloads;

/// <summary>
/// One failed control, worded as upstream pod-security-admission words it: <see cref="Reason"/> is the short
/// forbidden reason (<c>privileged</c>), <see cref="Detail"/> names the containers and the offending field and value
/// (<c>container "app" must not set securityContext.privileged=true</c>).
/// </summary>
/// <param name="CheckId">The upstream check id (<c>privileged</c>, <c>capabilities_restricted</c>…).</param>
/// <param name="Containers">The containers the violation is about; empty for pod-level fields.</param>
public sealed record PodSecurityViolation(string CheckId, string Reason, string Detail, IReadOnlyList<string> Containers)
{
    /// <summary>The upstream aggregate form <c>reason (detail)</c>.</summary>
    public override string ToString() => Detail.Length == 0 ? Reason : $"{Reason} ({Detail})";
}
