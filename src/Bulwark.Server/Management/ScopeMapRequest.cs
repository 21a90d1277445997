using Bulwark.Identity.Management;

namespace Bulwark.Server.Management;

/// <summary>Create (name and rules required) or update (rules replace the old ones when given) a scope map.</summary>
public sealed record ScopeMapRequest(string? Name, string? Description, IReadOnlyList<ScopeMapRule>? Rules);
