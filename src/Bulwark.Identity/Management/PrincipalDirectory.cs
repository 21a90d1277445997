using System.Security.Cryptography;
using Bulwark.Identity.Authentication;
using Bulwark.Identity.Passwords;
using Bulwark.Identity.Permissions;
using Bulwark.Identity.Principals;
using Bulwark.Identity.Secrets;
using Bulwark.Identity.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Identity.Management;

/// <summary>
/// Creates, lists, changes and deletes users, service principals and repository tokens and their secrets.
/// Passwords must pass <see cref="PasswordPolicy"/>; generated secrets are returned once and stored hashed;
/// a service principal or token has at most <see cref="MaxActiveSecrets"/> unexpired secrets, so one can
/// be rotated while the other is still in use.
/// </summary>
public sealed class PrincipalDirectory(IDbContextFactory<IdentityDbContext> dbFactory, IdentityOptions options, TimeProvider time,
    IdentityChangeCounter changes)
{
    public const int MaxActiveSecrets = 2;

    private readonly PasswordHasher _hasher = new(options.PasswordHashing);

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Principals.AnyAsync(cancellationToken);
    }

    /// <summary>Creates a user; without a password, a strong one is generated and returned in <see cref="CreatedSecret.Secret"/>.</summary>
    public async Task<CreatedSecret> CreateUserAsync(string name, string? password, string? description, CancellationToken cancellationToken)
    {
        PrincipalNames.Validate(name, "username");
        var generated = password is null;
        password ??= GeneratePassword();
        RequireStrong(name, password);
        var entity = NewPrincipal(PrincipalKind.User, name, description);
        entity.PasswordHash = _hasher.Hash(password);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await AddAsync(db, entity, cancellationToken);
        return new CreatedSecret(View(entity, [], null), null, generated ? password : "");
    }

    /// <summary>Creates a service principal (its name is the client id) with its first secret.</summary>
    public async Task<CreatedSecret> CreateServicePrincipalAsync(string name, string? description, DateTimeOffset? secretExpiresAt,
        CancellationToken cancellationToken)
    {
        PrincipalNames.Validate(name, "client id");
        var entity = NewPrincipal(PrincipalKind.ServicePrincipal, name, description);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (secret, stored) = NewSecret(entity.Id, secretExpiresAt);
        db.Secrets.Add(stored);
        await AddAsync(db, entity, cancellationToken);
        return new CreatedSecret(View(entity, [stored], null), SecretView(stored), secret);
    }

    /// <summary>Creates a repository token bound to a scope map, with its first secret.</summary>
    public async Task<CreatedSecret> CreateRepositoryTokenAsync(string name, string scopeMap, string? description, DateTimeOffset? secretExpiresAt,
        CancellationToken cancellationToken)
    {
        PrincipalNames.Validate(name, "token name");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var map = await db.ScopeMaps.AsNoTracking().SingleOrDefaultAsync(m => m.Name == scopeMap, cancellationToken)
            ?? throw new IdentityException(IdentityErrorKind.Invalid, $"scope map '{scopeMap}' does not exist");
        var entity = NewPrincipal(PrincipalKind.RepositoryToken, name, description);
        entity.ScopeMapId = map.Id;
        var (secret, stored) = NewSecret(entity.Id, secretExpiresAt);
        db.Secrets.Add(stored);
        await AddAsync(db, entity, cancellationToken);
        return new CreatedSecret(View(entity, [stored], map.Name), SecretView(stored), secret);
    }

    public async Task<PrincipalView> GetAsync(PrincipalKind kind, string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await FindAsync(db, kind, name, cancellationToken);
        return await ViewAsync(db, entity, cancellationToken);
    }

    public async Task<Page<PrincipalView>> ListAsync(PrincipalKind kind, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var take = PageCursor.Limit(limit);
        var after = PageCursor.Decode(cursor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Principals.AsNoTracking().Where(p => p.Kind == kind);
        if (after is not null)
        {
            query = query.Where(p => string.Compare(p.Name, after) > 0);
        }

        var rows = await query.OrderBy(p => p.Name).Take(take + 1).ToListAsync(cancellationToken);
        var items = new List<PrincipalView>();
        foreach (var row in rows.Take(take))
        {
            items.Add(await ViewAsync(db, row, cancellationToken));
        }

        return new Page<PrincipalView>(items, rows.Count > take ? PageCursor.Encode(rows[take - 1].Name) : null);
    }

    public async Task<PrincipalView> UpdateAsync(PrincipalKind kind, string name, PrincipalUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await FindAsync(db, kind, name, cancellationToken);
        if (update.Password is not null)
        {
            if (kind != PrincipalKind.User)
            {
                throw new IdentityException(IdentityErrorKind.Invalid, "only users have passwords; add a secret instead");
            }

            RequireStrong(name, update.Password);
            entity.PasswordHash = _hasher.Hash(update.Password);
        }

        if (update.ScopeMap is not null)
        {
            if (kind != PrincipalKind.RepositoryToken)
            {
                throw new IdentityException(IdentityErrorKind.Invalid, "only repository tokens are bound to a scope map; assign it as a role instead");
            }

            entity.ScopeMapId = (await db.ScopeMaps.AsNoTracking().SingleOrDefaultAsync(m => m.Name == update.ScopeMap, cancellationToken)
                ?? throw new IdentityException(IdentityErrorKind.Invalid, $"scope map '{update.ScopeMap}' does not exist")).Id;
        }

        if (update.Disabled is { } disabled)
        {
            if (disabled && await IsLastSystemAdminAsync(db, entity.Id, cancellationToken))
            {
                throw new IdentityException(IdentityErrorKind.Conflict, "refusing to disable the last system admin");
            }

            entity.Disabled = disabled;
        }

        if (update.Description is not null)
        {
            entity.Description = update.Description.Length == 0 ? null : update.Description;
        }

        entity.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        changes.Changed();
        return await ViewAsync(db, entity, cancellationToken);
    }

    /// <summary>Deletes a principal with its secrets, role assignments and refresh tokens.</summary>
    public async Task DeleteAsync(PrincipalKind kind, string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await FindAsync(db, kind, name, cancellationToken);
        if (kind == PrincipalKind.User && await IsLastSystemAdminAsync(db, entity.Id, cancellationToken))
        {
            throw new IdentityException(IdentityErrorKind.Conflict, "refusing to delete the last system admin");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Secrets.Where(s => s.PrincipalId == entity.Id).ExecuteDeleteAsync(cancellationToken);
        await db.RoleAssignments.Where(a => a.PrincipalId == entity.Id).ExecuteDeleteAsync(cancellationToken);
        await db.RefreshTokens.Where(r => r.PrincipalId == entity.Id).ExecuteDeleteAsync(cancellationToken);
        db.Principals.Remove(entity);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Changed();
    }

    public async Task<CreatedSecret> AddSecretAsync(PrincipalKind kind, string name, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        RequireSecretKind(kind);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await FindAsync(db, kind, name, cancellationToken);
        var now = time.GetUtcNow();
        if (expiresAt is { } expiry && expiry <= now)
        {
            throw new IdentityException(IdentityErrorKind.Invalid, "the expiry must be in the future");
        }

        var active = await db.Secrets.CountAsync(s => s.PrincipalId == entity.Id && (s.ExpiresAt == null || s.ExpiresAt > now), cancellationToken);
        if (active >= MaxActiveSecrets)
        {
            throw new IdentityException(IdentityErrorKind.Conflict, $"'{name}' already has {MaxActiveSecrets} active secrets; remove one first");
        }

        var (secret, stored) = NewSecret(entity.Id, expiresAt);
        db.Secrets.Add(stored);
        await db.SaveChangesAsync(cancellationToken);
        changes.Changed();
        return new CreatedSecret(await ViewAsync(db, entity, cancellationToken), SecretView(stored), secret);
    }

    public async Task RemoveSecretAsync(PrincipalKind kind, string name, Guid secretId, CancellationToken cancellationToken)
    {
        RequireSecretKind(kind);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await FindAsync(db, kind, name, cancellationToken);
        if (await db.Secrets.Where(s => s.Id == secretId && s.PrincipalId == entity.Id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw new IdentityException(IdentityErrorKind.NotFound, $"'{name}' has no secret {secretId}");
        }

        changes.Changed();
    }

    public async Task<IReadOnlyList<RefreshTokenView>> ListRefreshTokensAsync(PrincipalKind kind, string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await FindAsync(db, kind, name, cancellationToken);
        var rows = await db.RefreshTokens.AsNoTracking().Where(r => r.PrincipalId == entity.Id).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.CreatedAt).Select(r => new RefreshTokenView(r.Id, entity.Name, r.ClientId, r.CreatedAt, r.ExpiresAt))];
    }

    /// <summary>Revokes one refresh token, or all of a principal's when <paramref name="tokenId"/> is null.</summary>
    public async Task RevokeRefreshTokensAsync(PrincipalKind kind, string name, Guid? tokenId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await FindAsync(db, kind, name, cancellationToken);
        var query = db.RefreshTokens.Where(r => r.PrincipalId == entity.Id);
        if (tokenId is { } id)
        {
            query = query.Where(r => r.Id == id);
        }

        if (await query.ExecuteDeleteAsync(cancellationToken) == 0 && tokenId is not null)
        {
            throw new IdentityException(IdentityErrorKind.NotFound, $"'{name}' has no refresh token {tokenId}");
        }

        changes.Changed();
    }

    /// <summary>Creates the first system admin if no principal exists yet; returns whether it did.</summary>
    public async Task<bool> EnsureFirstAdminAsync(string name, string password, CancellationToken cancellationToken)
    {
        RequireStrong(name, password);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Principals.AnyAsync(cancellationToken))
        {
            return false;
        }

        var entity = NewPrincipal(PrincipalKind.User, name, "created on first start");
        entity.PasswordHash = _hasher.Hash(password);
        db.Principals.Add(entity);
        db.RoleAssignments.Add(new RoleAssignmentEntity
        {
            Id = Guid.NewGuid(),
            PrincipalId = entity.Id,
            Role = BuiltInRoles.Admin,
            CreatedAt = entity.CreatedAt,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Changed();
        return true;
    }

    /// <summary>A random password of 24 characters from a 62-letter alphabet (≈143 bits).</summary>
    public static string GeneratePassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24);

    internal static async Task<PrincipalEntity> FindAsync(IdentityDbContext db, PrincipalKind kind, string name, CancellationToken cancellationToken) =>
        await db.Principals.SingleOrDefaultAsync(p => p.Name == name && p.Kind == kind, cancellationToken)
        ?? throw new IdentityException(IdentityErrorKind.NotFound, $"no {PrincipalKinds.Format(kind)} named '{name}'");

    private static async Task<bool> IsLastSystemAdminAsync(IdentityDbContext db, Guid principalId, CancellationToken cancellationToken)
    {
        var admins = await db.RoleAssignments.Where(a => a.Role == BuiltInRoles.Admin && a.Pattern == null)
            .Select(a => a.PrincipalId).Distinct().ToListAsync(cancellationToken);
        return admins.Count == 1 && admins[0] == principalId;
    }

    private static void RequireStrong(string name, string password)
    {
        var problems = PasswordPolicy.Check(name, password);
        if (problems.Count > 0)
        {
            throw new IdentityException(IdentityErrorKind.Invalid, "the password is not strong enough", problems);
        }
    }

    private static void RequireSecretKind(PrincipalKind kind)
    {
        if (kind is not (PrincipalKind.ServicePrincipal or PrincipalKind.RepositoryToken))
        {
            throw new IdentityException(IdentityErrorKind.Invalid, "only service principals and repository tokens have generated secrets");
        }
    }

    private PrincipalEntity NewPrincipal(PrincipalKind kind, string name, string? description)
    {
        var now = time.GetUtcNow();
        return new PrincipalEntity { Id = Guid.NewGuid(), Kind = kind, Name = name, Description = description, CreatedAt = now, UpdatedAt = now };
    }

    private (string Secret, SecretEntity Stored) NewSecret(Guid principalId, DateTimeOffset? expiresAt)
    {
        var secret = GeneratedSecret.Create();
        return (secret, new SecretEntity
        {
            Id = Guid.NewGuid(),
            PrincipalId = principalId,
            Hash = GeneratedSecret.Hash(secret),
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = expiresAt,
        });
    }

    private async Task AddAsync(IdentityDbContext db, PrincipalEntity entity, CancellationToken cancellationToken)
    {
        if (await db.Principals.AnyAsync(p => p.Name == entity.Name, cancellationToken))
        {
            throw new IdentityException(IdentityErrorKind.Conflict, $"the name '{entity.Name}' is taken");
        }

        db.Principals.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new IdentityException(IdentityErrorKind.Conflict, $"the name '{entity.Name}' is taken");
        }

        changes.Changed();
    }

    private static async Task<PrincipalView> ViewAsync(IdentityDbContext db, PrincipalEntity entity, CancellationToken cancellationToken)
    {
        var secrets = await db.Secrets.AsNoTracking().Where(s => s.PrincipalId == entity.Id).ToListAsync(cancellationToken);
        var scopeMap = entity.ScopeMapId is { } id
            ? await db.ScopeMaps.AsNoTracking().Where(m => m.Id == id).Select(m => m.Name).SingleOrDefaultAsync(cancellationToken)
            : null;
        return View(entity, secrets, scopeMap);
    }

    private static PrincipalView View(PrincipalEntity entity, IEnumerable<SecretEntity> secrets, string? scopeMap) =>
        new(entity.Id, entity.Kind, entity.Name, entity.Description, entity.Disabled, entity.CreatedAt, entity.UpdatedAt, scopeMap,
            [.. secrets.OrderBy(s => s.CreatedAt).Select(SecretView)]);

    private static SecretView SecretView(SecretEntity secret) => new(secret.Id, secret.CreatedAt, secret.ExpiresAt);
}
