using Bulwark.Identity.Principals;
using Bulwark.Identity.Secrets;
using Bulwark.Identity.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Identity.Authentication;

/// <summary>
/// Offline (refresh) tokens: <c>&lt;id&gt;.&lt;secret&gt;</c>, stored as the secret's hash, valid until they
/// expire or are revoked (deleted), and only while their principal exists and is enabled.
/// </summary>
public sealed class RefreshTokenService(IDbContextFactory<IdentityDbContext> dbFactory, IdentityOptions options, TimeProvider time,
    IdentityChangeCounter changes)
{
    public async Task<string> IssueAsync(PrincipalRef principal, string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.IsAnonymous)
        {
            throw new InvalidOperationException("anonymous callers get no refresh token");
        }

        var secret = GeneratedSecret.Create();
        var now = time.GetUtcNow();
        var entity = new RefreshTokenEntity
        {
            Id = Guid.NewGuid(),
            PrincipalId = principal.Id,
            Hash = GeneratedSecret.Hash(secret),
            ClientId = clientId.Length > 128 ? clientId[..128] : clientId,
            CreatedAt = now,
            ExpiresAt = now + options.RefreshTokenLifetime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.RefreshTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return entity.Id.ToString("N") + "." + secret;
    }

    /// <summary>The principal a refresh token belongs to, or null when it is unknown, expired, revoked or its principal is disabled.</summary>
    public async Task<PrincipalRef?> RedeemAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !Guid.TryParseExact(token[..dot], "N", out var id))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var stored = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (stored is null || !GeneratedSecret.Verify(token[(dot + 1)..], stored.Hash) || stored.ExpiresAt <= now)
        {
            return null;
        }

        var principal = await db.Principals.AsNoTracking().SingleOrDefaultAsync(p => p.Id == stored.PrincipalId, cancellationToken);
        return principal is null || principal.Disabled ? null : new PrincipalRef(principal.Id, principal.Kind, principal.Name);
    }

    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var removed = await db.RefreshTokens.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
        changes.Changed();
        return removed;
    }
}
