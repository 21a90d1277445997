namespace Bulwark.Policy.Kubernetes;

/// <summary><c>securityContext.windowsOptions</c>; only <c>hostProcess</c> is restricted.</summary>
public sealed record WindowsSecurityContextOptions
{
    public bool? HostProcess { get; init; }
}
