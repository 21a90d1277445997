namespace Bulwark.Policy.Kubernetes;

/// <summary><c>seccompProfile</c>: <c>RuntimeDefault</c>, <c>Localhost</c> or <c>Unconfined</c>.</summary>
public sealed record SeccompProfile
{
    public string? Type { get; init; }

    public string? LocalhostProfile { get; init; }
}
