namespace Bulwark.Policy.Kubernetes;

/// <summary>A liveness, readiness or startup probe; its <c>host</c> fields are restricted from v1.34.</summary>
public sealed record Probe
{
    public HostHandler? HttpGet { get; init; }

    public HostHandler? TcpSocket { get; init; }
}
