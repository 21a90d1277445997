using System.Collections.Concurrent;
using Bulwark.Identity.Permissions;
using Bulwark.Identity.Principals;
using Bulwark.Identity.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Identity.Authentication;

/// <summary>
/// Resolves a principal's effective permissions: built-in roles on their patterns, assigned scope maps, a
/// repository token's scope map, and for anonymous callers read on the public patterns. Results are cached
/// briefly and dropped on any change made through this server.
/// </summary>
public sealed class PermissionResolver(IDbContextFactory<IdentityDbContext> dbFactory, IdentityOptions options, TimeProvider time,
    IdentityChangeCounter changes)
{
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<Guid, CachedPermissions> _cache = new();

    public async Task<PermissionSet> GetAsync(PrincipalRef principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var now = time.GetUtcNow();
        var version = changes.Version;
        if (_cache.TryGetValue(principal.Id, out var cached) && cached.Version == version && now < cached.ExpiresAt)
        {
            return cached.Permissions;
        }

        var permissions = principal.IsAnonymous ? await LoadPublicAsync(cancellationToken) : await LoadAsync(principal.Id, cancellationToken);
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[principal.Id] = new CachedPermissions(permissions, version, now + options.CredentialCacheLifetime);
        return permissions;
    }

    private async Task<PermissionSet> LoadPublicAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var patterns = await db.PublicPatterns.AsNoTracking().Select(p => p.Pattern).ToListAsync(cancellationToken);
        return new PermissionSet(
            patterns.Select(p => new RepositoryGrant(RepositoryPattern.Parse(p), RegistryActions.ContentRead | RegistryActions.MetadataRead)),
            isSystemAdmin: false);
    }

    private async Task<PermissionSet> LoadAsync(Guid principalId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var principal = await db.Principals.AsNoTracking().SingleOrDefaultAsync(p => p.Id == principalId, cancellationToken);
        if (principal is null || principal.Disabled)
        {
            return PermissionSet.Empty;
        }

        var grants = new List<RepositoryGrant>();
        var systemAdmin = false;
        var scopeMaps = new List<Guid>();
        if (principal.Kind == PrincipalKind.RepositoryToken)
        {
            // A token is exactly its scope map: role assignments do not apply to it.
            if (principal.ScopeMapId is { } tokenMap)
            {
                scopeMaps.Add(tokenMap);
            }
        }
        else
        {
            var assignments = await db.RoleAssignments.AsNoTracking().Where(a => a.PrincipalId == principalId).ToListAsync(cancellationToken);
            foreach (var assignment in assignments)
            {
                if (assignment.ScopeMapId is { } map)
                {
                    scopeMaps.Add(map);
                }
                else if (assignment.Role == BuiltInRoles.Admin && assignment.Pattern is null)
                {
                    systemAdmin = true;
                }
                else if (assignment.Role is not null && BuiltInRoles.ActionsOf(assignment.Role) is { } actions
                    && RepositoryPattern.TryParse(assignment.Pattern, out var pattern))
                {
                    grants.Add(new RepositoryGrant(pattern, actions));
                }
            }
        }

        if (scopeMaps.Count > 0)
        {
            var rules = await db.ScopeMapRules.AsNoTracking().Where(r => scopeMaps.Contains(r.ScopeMapId)).ToListAsync(cancellationToken);
            foreach (var rule in rules)
            {
                if (RepositoryPattern.TryParse(rule.Pattern, out var pattern)
                    && RegistryActionNames.TryParse(rule.Actions.Split(' ', StringSplitOptions.RemoveEmptyEntries), out var actions, out _))
                {
                    grants.Add(new RepositoryGrant(pattern, actions));
                }
            }
        }

        return new PermissionSet(grants, systemAdmin);
    }

    private sealed record CachedPermissions(PermissionSet Permissions, long Version, DateTimeOffset ExpiresAt);
}
