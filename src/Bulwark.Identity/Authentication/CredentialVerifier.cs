using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Identity.Passwords;
using Bulwark.Identity.Principals;
using Bulwark.Identity.Secrets;
using Bulwark.Identity.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Identity.Authentication;

/// <summary>
/// Checks a name and secret: a user's password against its Argon2id hash, or a service principal's or
/// repository token's generated secret against its unexpired secret hashes. Disabled principals never
/// authenticate. A successful check is remembered for a short time under a keyed hash of the credentials
/// (never the credentials themselves), so HTTP Basic clients do not pay an Argon2 run per request.
/// </summary>
public sealed class CredentialVerifier(IDbContextFactory<IdentityDbContext> dbFactory, IdentityOptions options, TimeProvider time,
    IdentityChangeCounter changes)
{
    private const int MaxCached = 10_000;

    // Verified against when the name is unknown, so that an unknown name costs the same as a wrong password.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher().Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));

    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, CachedCredential> _cache = new(StringComparer.Ordinal);

    public async Task<PrincipalRef?> VerifyAsync(string name, string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(secret);
        if (name.Length == 0 || secret.Length == 0 || name.Length > 128 || secret.Length > PasswordPolicy.MaxLength)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var version = changes.Version;
        var key = Convert.ToHexString(HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes(name + "\n" + secret)));
        if (_cache.TryGetValue(key, out var cached) && cached.Version == version && now < cached.ExpiresAt)
        {
            return cached.Principal;
        }

        var principal = await CheckAsync(name, secret, now, cancellationToken);
        if (principal is not null)
        {
            if (_cache.Count >= MaxCached)
            {
                _cache.Clear();
            }

            _cache[key] = new CachedCredential(principal, version, now + options.CredentialCacheLifetime);
        }
        else
        {
            _cache.TryRemove(key, out _);
        }

        return principal;
    }

    private async Task<PrincipalRef?> CheckAsync(string name, string secret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await db.Principals.AsNoTracking().SingleOrDefaultAsync(p => p.Name == name, cancellationToken);
        if (entity is null || entity.Kind == PrincipalKind.User && entity.PasswordHash is null)
        {
            PasswordHasher.Verify(secret, DummyHash.Value);
            return null;
        }

        bool valid;
        if (entity.Kind == PrincipalKind.User)
        {
            valid = PasswordHasher.Verify(secret, entity.PasswordHash!);
        }
        else
        {
            var hashes = await db.Secrets.AsNoTracking()
                .Where(s => s.PrincipalId == entity.Id && (s.ExpiresAt == null || s.ExpiresAt > now))
                .Select(s => s.Hash)
                .ToListAsync(cancellationToken);
            valid = false;
            foreach (var hash in hashes)
            {
                valid |= GeneratedSecret.Verify(secret, hash);
            }
        }

        return valid && !entity.Disabled ? new PrincipalRef(entity.Id, entity.Kind, entity.Name) : null;
    }

    private sealed record CachedCredential(PrincipalRef Principal, long Version, DateTimeOffset ExpiresAt);
}
