namespace Bulwark.Identity.Storage;

/// <summary>A generated secret of a service principal or repository token, stored as its SHA-256 hash.</summary>
public sealed class SecretEntity
{
    public Guid Id { get; set; }

    public Guid PrincipalId { get; set; }

    public required string Hash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }
}
