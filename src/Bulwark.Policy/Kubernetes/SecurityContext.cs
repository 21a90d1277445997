namespace Bulwark.Policy.Kubernetes;

/// <summary>The restricted fields of a container's <c>securityContext</c>.</summary>
public sealed record SecurityContext
{
    public Capabilities? Capabilities { get; init; }

    public bool? Privileged { get; init; }

    public SeLinuxOptions? SeLinuxOptions { get; init; }

    public WindowsSecurityContextOptions? WindowsOptions { get; init; }

    public long? RunAsUser { get; init; }

    public bool? RunAsNonRoot { get; init; }

    public string? ProcMount { get; init; }

    public bool? AllowPrivilegeEscalation { get; init; }

    public SeccompProfile? SeccompProfile { get; init; }

    public AppArmorProfile? AppArmorProfile { get; init; }
}
