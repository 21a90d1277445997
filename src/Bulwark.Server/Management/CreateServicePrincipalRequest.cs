namespace Bulwark.Server.Management;

/// <summary>The name is the client id; the first secret is generated and returned once.</summary>
public sealed record CreateServicePrincipalRequest(string Name, string? Description, DateTimeOffset? SecretExpiresAt);
