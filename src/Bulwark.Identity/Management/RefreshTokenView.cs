namespace Bulwark.Identity.Management;

public sealed record RefreshTokenView(Guid Id, string Principal, string ClientId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
