namespace Bulwark.Server.Policy;

/// <summary>A stored policy version; <see cref="Content"/> (the YAML) is null in listings.</summary>
public sealed record PolicyVersionView(string Name, int Version, string ContentHash, string CreatedBy, DateTimeOffset CreatedAt, string? Content);
