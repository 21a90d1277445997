namespace Bulwark.Policy.Kubernetes;

/// <summary><c>securityContext.capabilities</c>: Linux capabilities added to and dropped from the runtime's default set.</summary>
public sealed record Capabilities
{
    public IReadOnlyList<string?>? Add { get; init; }

    public IReadOnlyList<string?>? Drop { get; init; }
}
