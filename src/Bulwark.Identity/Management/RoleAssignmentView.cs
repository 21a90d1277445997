namespace Bulwark.Identity.Management;

/// <summary>A principal's role (on a pattern; none for the system admin) or scope map.</summary>
public sealed record RoleAssignmentView(Guid Id, string Principal, string? Role, string? ScopeMap, string? Pattern, DateTimeOffset CreatedAt);
