namespace Bulwark.Server.Management;

/// <summary>A built-in role and what it grants.</summary>
public sealed record RoleDescription(string Name, IReadOnlyList<string> Actions, bool Reserved, string Description);
