namespace Bulwark.Policy.Workloads;

/// <summary>
/// Exemptions in the shape of upstream's <c>PodSecurityConfiguration.exemptions</c>. Pods in an exempt namespace,
/// with an exempt <c>runtimeClassName</c>, or whose service account identity
/// (<c>system:serviceaccount:NAMESPACE:NAME</c>) is an exempt username are not evaluated.
/// </summary>
public sealed record PodSecurityExemptions
{
    public static PodSecurityExemptions None { get; } = new();

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public IReadOnlyList<string> Usernames { get; init; } = [];

    public IReadOnlyList<string> RuntimeClasses { get; init; } = [];
}
