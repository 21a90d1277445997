namespace Bulwark.Identity.Management;

/// <summary>A stored secret's metadata; the secret itself is only ever returned once, at creation.</summary>
public sealed record SecretView(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
