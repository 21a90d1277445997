namespace Bulwark.Identity.Management;

/// <summary>Fields to change on a principal; null leaves a field as it is.</summary>
public sealed record PrincipalUpdate(string? Description = null, bool? Disabled = null, string? Password = null, string? ScopeMap = null);
