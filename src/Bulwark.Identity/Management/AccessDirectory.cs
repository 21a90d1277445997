using Bulwark.Identity.Authentication;
using Bulwark.Identity.Permissions;
using Bulwark.Identity.Principals;
using Bulwark.Identity.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Identity.Management;

/// <summary>Scope maps, role assignments and public-pull patterns: who may do what on which repositories.</summary>
public sealed class AccessDirectory(IDbContextFactory<IdentityDbContext> dbFactory, TimeProvider time, IdentityChangeCounter changes)
{
    public async Task<ScopeMapView> CreateScopeMapAsync(string name, string? description, IReadOnlyList<ScopeMapRule> rules,
        CancellationToken cancellationToken)
    {
        PrincipalNames.Validate(name, "scope map name");
        if (BuiltInRoles.IsBuiltIn(name))
        {
            throw new IdentityException(IdentityErrorKind.Invalid, $"'{name}' is a built-in or reserved role name");
        }

        var entity = new ScopeMapEntity { Id = Guid.NewGuid(), Name = name, Description = description, CreatedAt = time.GetUtcNow() };
        entity.Rules.AddRange(ValidateRules(entity.Id, rules));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.ScopeMaps.AnyAsync(m => m.Name == name, cancellationToken))
        {
            throw new IdentityException(IdentityErrorKind.Conflict, $"scope map '{name}' exists");
        }

        db.ScopeMaps.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        changes.Changed();
        return View(entity);
    }

    public async Task<Page<ScopeMapView>> ListScopeMapsAsync(int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var take = PageCursor.Limit(limit);
        var after = PageCursor.Decode(cursor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.ScopeMaps.AsNoTracking().Include(m => m.Rules).AsQueryable();
        if (after is not null)
        {
            query = query.Where(m => string.Compare(m.Name, after) > 0);
        }

        var rows = await query.OrderBy(m => m.Name).Take(take + 1).ToListAsync(cancellationToken);
        return new Page<ScopeMapView>([.. rows.Take(take).Select(View)], rows.Count > take ? PageCursor.Encode(rows[take - 1].Name) : null);
    }

    public async Task<ScopeMapView> GetScopeMapAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return View(await FindScopeMapAsync(db, name, cancellationToken));
    }

    /// <summary>Replaces a scope map's rules (and description when given); every token and assignment using it changes with it.</summary>
    public async Task<ScopeMapView> UpdateScopeMapAsync(string name, string? description, IReadOnlyList<ScopeMapRule>? rules,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await FindScopeMapAsync(db, name, cancellationToken);
        if (rules is not null)
        {
            var replacement = ValidateRules(entity.Id, rules);
            db.ScopeMapRules.RemoveRange(entity.Rules);
            entity.Rules.Clear();
            entity.Rules.AddRange(replacement);
            db.ScopeMapRules.AddRange(replacement);
        }

        if (description is not null)
        {
            entity.Description = description.Length == 0 ? null : description;
        }

        await db.SaveChangesAsync(cancellationToken);
        changes.Changed();
        return View(entity);
    }

    public async Task DeleteScopeMapAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await FindScopeMapAsync(db, name, cancellationToken);
        if (await db.Principals.AnyAsync(p => p.ScopeMapId == entity.Id, cancellationToken)
            || await db.RoleAssignments.AnyAsync(a => a.ScopeMapId == entity.Id, cancellationToken))
        {
            throw new IdentityException(IdentityErrorKind.Conflict, $"scope map '{name}' is in use by a token or role assignment");
        }

        db.ScopeMaps.Remove(entity);
        await db.SaveChangesAsync(cancellationToken);
        changes.Changed();
    }

    /// <summary>
    /// Assigns a built-in role on a pattern (<c>admin</c> without a pattern: system admin) or a scope map
    /// (its rules carry the patterns) to a user or service principal.
    /// </summary>
    public async Task<RoleAssignmentView> AssignAsync(string principal, string? role, string? scopeMap, string? pattern,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var target = await db.Principals.AsNoTracking().SingleOrDefaultAsync(p => p.Name == principal, cancellationToken)
            ?? throw new IdentityException(IdentityErrorKind.NotFound, $"no principal named '{principal}'");
        if (target.Kind == PrincipalKind.RepositoryToken)
        {
            throw new IdentityException(IdentityErrorKind.Invalid, "a repository token gets its permissions from its scope map only");
        }

        var entity = new RoleAssignmentEntity { Id = Guid.NewGuid(), PrincipalId = target.Id, CreatedAt = time.GetUtcNow() };
        string? mapName = null;
        switch (role, scopeMap)
        {
            case (null, null) or (not null, not null):
                throw new IdentityException(IdentityErrorKind.Invalid, "give exactly one of role and scopeMap");
            case (not null, null):
                if (BuiltInRoles.IsReserved(role))
                {
                    throw new IdentityException(IdentityErrorKind.Invalid, $"role '{role}' is reserved for a later release");
                }

                if (BuiltInRoles.ActionsOf(role) is null)
                {
                    throw new IdentityException(IdentityErrorKind.Invalid, $"unknown role '{role}': use {string.Join(", ", BuiltInRoles.Assignable)} or a scope map");
                }

                if (pattern is null && role != BuiltInRoles.Admin)
                {
                    throw new IdentityException(IdentityErrorKind.Invalid, $"role '{role}' needs a repository pattern");
                }

                if (pattern is not null && !RepositoryPattern.TryParse(pattern, out _))
                {
                    throw new IdentityException(IdentityErrorKind.Invalid, $"'{pattern}' is not a repository pattern (name, name/*, name/** or **)");
                }

                entity.Role = role;
                entity.Pattern = pattern;
                break;
            default:
                if (pattern is not null)
                {
                    throw new IdentityException(IdentityErrorKind.Invalid, "a scope map carries its own patterns; omit the pattern");
                }

                var map = await FindScopeMapAsync(db, scopeMap!, cancellationToken);
                entity.ScopeMapId = map.Id;
                mapName = map.Name;
                break;
        }

        db.RoleAssignments.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        changes.Changed();
        return new RoleAssignmentView(entity.Id, target.Name, entity.Role, mapName, entity.Pattern, entity.CreatedAt);
    }

    public async Task<Page<RoleAssignmentView>> ListAssignmentsAsync(string? principal, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var take = PageCursor.Limit(limit);
        var after = PageCursor.Decode(cursor) is { } text ? Guid.TryParse(text, out var id) ? id : throw new IdentityException("invalid cursor") : (Guid?)null;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query =
            from a in db.RoleAssignments.AsNoTracking()
            join p in db.Principals.AsNoTracking() on a.PrincipalId equals p.Id
            join m in db.ScopeMaps.AsNoTracking() on a.ScopeMapId equals m.Id into maps
            from m in maps.DefaultIfEmpty()
            select new { a.Id, Principal = p.Name, a.Role, ScopeMap = m == null ? null : m.Name, a.Pattern, a.CreatedAt };
        if (principal is not null)
        {
            query = query.Where(r => r.Principal == principal);
        }

        if (after is { } last)
        {
            query = query.Where(r => r.Id.CompareTo(last) > 0);
        }

        var rows = await query.OrderBy(r => r.Id).Take(take + 1).ToListAsync(cancellationToken);
        return new Page<RoleAssignmentView>(
            [.. rows.Take(take).Select(r => new RoleAssignmentView(r.Id, r.Principal, r.Role, r.ScopeMap, r.Pattern, r.CreatedAt))],
            rows.Count > take ? PageCursor.Encode(rows[take - 1].Id.ToString()) : null);
    }

    public async Task RemoveAssignmentAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await db.RoleAssignments.SingleOrDefaultAsync(a => a.Id == id, cancellationToken)
            ?? throw new IdentityException(IdentityErrorKind.NotFound, $"no role assignment {id}");
        if (entity.Role == BuiltInRoles.Admin && entity.Pattern is null
            && await db.RoleAssignments.CountAsync(a => a.Role == BuiltInRoles.Admin && a.Pattern == null, cancellationToken) == 1)
        {
            throw new IdentityException(IdentityErrorKind.Conflict, "refusing to remove the last system admin assignment");
        }

        db.RoleAssignments.Remove(entity);
        await db.SaveChangesAsync(cancellationToken);
        changes.Changed();
    }

    public async Task<PublicPatternView> AddPublicPatternAsync(string pattern, CancellationToken cancellationToken)
    {
        if (!RepositoryPattern.TryParse(pattern, out _))
        {
            throw new IdentityException(IdentityErrorKind.Invalid, $"'{pattern}' is not a repository pattern (name, name/*, name/** or **)");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.PublicPatterns.AnyAsync(p => p.Pattern == pattern, cancellationToken))
        {
            throw new IdentityException(IdentityErrorKind.Conflict, $"'{pattern}' is already public");
        }

        var entity = new PublicPatternEntity { Id = Guid.NewGuid(), Pattern = pattern, CreatedAt = time.GetUtcNow() };
        db.PublicPatterns.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        changes.Changed();
        return new PublicPatternView(entity.Id, entity.Pattern, entity.CreatedAt);
    }

    public async Task<IReadOnlyList<PublicPatternView>> ListPublicPatternsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.PublicPatterns.AsNoTracking().OrderBy(p => p.Pattern).ToListAsync(cancellationToken);
        return [.. rows.Select(p => new PublicPatternView(p.Id, p.Pattern, p.CreatedAt))];
    }

    public async Task RemovePublicPatternAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.PublicPatterns.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw new IdentityException(IdentityErrorKind.NotFound, $"no public pattern {id}");
        }

        changes.Changed();
    }

    private static async Task<ScopeMapEntity> FindScopeMapAsync(IdentityDbContext db, string name, CancellationToken cancellationToken) =>
        await db.ScopeMaps.Include(m => m.Rules).SingleOrDefaultAsync(m => m.Name == name, cancellationToken)
        ?? throw new IdentityException(IdentityErrorKind.NotFound, $"no scope map named '{name}'");

    private static List<ScopeMapRuleEntity> ValidateRules(Guid scopeMapId, IReadOnlyList<ScopeMapRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var problems = new List<string>();
        var entities = new List<ScopeMapRuleEntity>();
        if (rules.Count == 0)
        {
            problems.Add("a scope map needs at least one rule");
        }

        foreach (var rule in rules)
        {
            if (!RepositoryPattern.TryParse(rule.Pattern, out _))
            {
                problems.Add($"'{rule.Pattern}' is not a repository pattern (name, name/*, name/** or **)");
            }

            if (rule.Actions is null || rule.Actions.Count == 0)
            {
                problems.Add($"rule '{rule.Pattern}' grants no action");
            }
            else if (!RegistryActionNames.TryParse(rule.Actions, out var actions, out var unknown))
            {
                problems.Add($"unknown action '{unknown}': use {string.Join(", ", RegistryActionNames.All)}");
            }
            else
            {
                entities.Add(new ScopeMapRuleEntity
                {
                    Id = Guid.NewGuid(),
                    ScopeMapId = scopeMapId,
                    Pattern = rule.Pattern,
                    Actions = string.Join(' ', RegistryActionNames.Format(actions)),
                });
            }
        }

        return problems.Count == 0 ? entities : throw new IdentityException(IdentityErrorKind.Invalid, "invalid scope map", problems);
    }

    private static ScopeMapView View(ScopeMapEntity entity) =>
        new(entity.Id, entity.Name, entity.Description, entity.CreatedAt,
            [.. entity.Rules.OrderBy(r => r.Pattern, StringComparer.Ordinal).Select(r => new ScopeMapRule(r.Pattern, r.Actions.Split(' ')))]);
}
