namespace Bulwark.Policy.Images;

/// <summary>What a failing rule does: <see cref="Enforce"/> fails the decision, <see cref="Audit"/> only warns.</summary>
public enum PolicyMode
{
    Enforce,
    Audit,
}
