using Bulwark.Identity.Principals;

namespace Bulwark.Identity.Storage;

/// <summary>A user, service principal or repository token. Names are unique across all kinds, so that a Basic username is unambiguous.</summary>
public sealed class PrincipalEntity
{
    public Guid Id { get; set; }

    public PrincipalKind Kind { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Users only: the Argon2id PHC string.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Repository tokens only: the scope map that defines everything the token may do.</summary>
    public Guid? ScopeMapId { get; set; }

    public bool Disabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
