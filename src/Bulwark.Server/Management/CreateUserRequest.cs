namespace Bulwark.Server.Management;

/// <summary>Without a password, a strong one is generated and returned once.</summary>
public sealed record CreateUserRequest(string Name, string? Password, string? Description);
