namespace Bulwark.Server.Management;

/// <summary>A repository token bound to a scope map; its first secret is generated and returned once.</summary>
public sealed record CreateRepositoryTokenRequest(string Name, string ScopeMap, string? Description, DateTimeOffset? SecretExpiresAt);
