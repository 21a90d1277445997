namespace Bulwark.Identity.Management;

public sealed record ScopeMapView(Guid Id, string Name, string? Description, DateTimeOffset CreatedAt, IReadOnlyList<ScopeMapRule> Rules);
