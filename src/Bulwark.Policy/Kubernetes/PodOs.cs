namespace Bulwark.Policy.Kubernetes;

/// <summary><c>spec.os</c>: the operating system the pod is meant for (<c>linux</c> or <c>windows</c>).</summary>
public sealed record PodOs
{
    public string? Name { get; init; }
}
