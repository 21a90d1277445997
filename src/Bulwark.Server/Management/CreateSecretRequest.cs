namespace Bulwark.Server.Management;

public sealed record CreateSecretRequest(DateTimeOffset? ExpiresAt);
