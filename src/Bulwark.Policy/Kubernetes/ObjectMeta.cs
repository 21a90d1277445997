namespace Bulwark.Policy.Kubernetes;

/// <summary>The parts of <c>metadata</c> that Pod Security and namespace policy read.</summary>
public sealed record ObjectMeta
{
    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public IReadOnlyDictionary<string, string?>? Labels { get; init; }

    public IReadOnlyDictionary<string, string?>? Annotations { get; init; }
}
