namespace Bulwark.Policy.Kubernetes;

/// <summary>One entry of a container's <c>ports</c>; only <c>hostPort</c> matters to Pod Security.</summary>
public sealed record ContainerPort
{
    public int? HostPort { get; init; }
}
