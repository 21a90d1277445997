namespace Bulwark.Policy.Kubernetes;

/// <summary>One entry of <c>spec.securityContext.sysctls</c>.</summary>
public sealed record Sysctl
{
    public string? Name { get; init; }

    public string? Value { get; init; }
}
