namespace Bulwark.Identity.Management;

public sealed record PublicPatternView(Guid Id, string Pattern, DateTimeOffset CreatedAt);
