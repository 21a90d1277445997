namespace Bulwark.Identity.Storage;

/// <summary>An offline (refresh) token: presented as <c>&lt;id&gt;.&lt;secret&gt;</c>, stored as the secret's SHA-256 hash; revoked by deleting the row.</summary>
public sealed class RefreshTokenEntity
{
    public Guid Id { get; set; }

    public Guid PrincipalId { get; set; }

    public required string Hash { get; set; }

    public required string ClientId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
