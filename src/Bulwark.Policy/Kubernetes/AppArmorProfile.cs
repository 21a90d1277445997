namespace Bulwark.Policy.Kubernetes;

/// <summary><c>appArmorProfile</c> (the field that replaced the beta annotations in v1.30).</summary>
public sealed record AppArmorProfile
{
    public string? Type { get; init; }

    public string? LocalhostProfile { get; init; }
}
