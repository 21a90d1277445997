namespace Bulwark.Identity.Principals;

/// <summary>An authenticated principal: stable id, kind and name (for audit records and token subjects).</summary>
public sealed record PrincipalRef(Guid Id, PrincipalKind Kind, string Name)
{
    public static PrincipalRef Anonymous { get; } = new(Guid.Empty, PrincipalKind.Anonymous, "anonymous");

    public bool IsAnonymous => Kind == PrincipalKind.Anonymous;
}
