namespace Bulwark.Server.Management;

/// <summary>PATCH body: only the fields given change. <c>password</c> for users, <c>scopeMap</c> for tokens.</summary>
public sealed record UpdatePrincipalRequest(string? Description, bool? Disabled, string? Password, string? ScopeMap);
