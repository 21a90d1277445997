namespace Bulwark.Identity.Storage;

/// <summary>
/// A principal holds a built-in role on a repository pattern, or a scope map (whose rules carry their own
/// patterns). Role <c>admin</c> with no pattern is the system admin.
/// </summary>
public sealed class RoleAssignmentEntity
{
    public Guid Id { get; set; }

    public Guid PrincipalId { get; set; }

    public string? Role { get; set; }

    public Guid? ScopeMapId { get; set; }

    public string? Pattern { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
