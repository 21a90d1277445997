namespace Bulwark.Policy.Kubernetes;

/// <summary>An init, regular or ephemeral container: the fields Pod Security restricts, and its image.</summary>
public sealed record Container
{
    public string? Name { get; init; }

    public string? Image { get; init; }

    public IReadOnlyList<ContainerPort>? Ports { get; init; }

    public SecurityContext? SecurityContext { get; init; }

    public Probe? LivenessProbe { get; init; }

    public Probe? ReadinessProbe { get; init; }

    public Probe? StartupProbe { get; init; }

    public Lifecycle? Lifecycle { get; init; }
}
