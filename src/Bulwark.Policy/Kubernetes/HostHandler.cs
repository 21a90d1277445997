namespace Bulwark.Policy.Kubernetes;

/// <summary>The <c>httpGet</c> or <c>tcpSocket</c> action of a probe or lifecycle hook; only <c>host</c> is restricted.</summary>
public sealed record HostHandler
{
    public string? Host { get; init; }
}
