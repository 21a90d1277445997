namespace Bulwark.Policy.Kubernetes;

/// <summary>The restricted fields of <c>spec.securityContext</c>.</summary>
public sealed record PodSecurityContext
{
    public SeLinuxOptions? SeLinuxOptions { get; init; }

    public long? RunAsUser { get; init; }

    public bool? RunAsNonRoot { get; init; }

    public SeccompProfile? SeccompProfile { get; init; }

    public AppArmorProfile? AppArmorProfile { get; init; }

    public IReadOnlyList<Sysctl>? Sysctls { get; init; }

    public WindowsSecurityContextOptions? WindowsOptions { get; init; }
}
