namespace Bulwark.Policy.Kubernetes;

/// <summary>A container's <c>lifecycle</c> hooks.</summary>
public sealed record Lifecycle
{
    public Probe? PostStart { get; init; }

    public Probe? PreStop { get; init; }
}
