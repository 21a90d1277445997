namespace Bulwark.Server.Management;

/// <summary>Exactly one of <c>role</c> (with a pattern; <c>admin</c> without one is system admin) and <c>scopeMap</c>.</summary>
public sealed record RoleAssignmentRequest(string Principal, string? Role, string? ScopeMap, string? Pattern);
