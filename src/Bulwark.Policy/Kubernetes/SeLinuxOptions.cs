namespace Bulwark.Policy.Kubernetes;

/// <summary><c>seLinuxOptions</c>: the SELinux context of a pod or container.</summary>
public sealed record SeLinuxOptions
{
    public string? User { get; init; }

    public string? Role { get; init; }

    public string? Type { get; init; }

    public string? Level { get; init; }
}
