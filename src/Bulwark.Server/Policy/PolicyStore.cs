using System.Security.Cryptography;
using System.Text;
using Bulwark.Identity.Management;
using Bulwark.Policy.Images;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Policy;

/// <summary>
/// Named, versioned policy documents. A new version is stored only when the document parses and validates (else
/// every error is reported and the policy in force is unchanged) and its content differs from the newest. The newest
/// version of every name is in force; this server caches them and reloads after its own changes or after
/// <see cref="RefreshInterval"/> (changes made through another replica).
/// </summary>
public sealed partial class PolicyStore(IDbContextFactory<PolicyDbContext> dbFactory, TimeProvider time, ILogger<PolicyStore> logger) : IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    /// <summary>The largest policy document accepted, in UTF-8 bytes.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot? _snapshot;

    public void Dispose() => _reload.Dispose();

    /// <summary>Whether any policy is stored (the quarantine is off otherwise).</summary>
    public async ValueTask<bool> AnyAsync(CancellationToken cancellationToken) => (await GetActiveAsync(cancellationToken).ConfigureAwait(false)).Count > 0;

    /// <summary>The newest version of each stored policy, by name.</summary>
    public async ValueTask<IReadOnlyList<ActivePolicy>> GetActiveAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt < RefreshInterval)
        {
            return snapshot.Policies;
        }

        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            snapshot = _snapshot;
            if (snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt < RefreshInterval)
            {
                return snapshot.Policies;
            }

            snapshot = new Snapshot(await LoadActiveAsync(cancellationToken).ConfigureAwait(false), time.GetUtcNow());
            _snapshot = snapshot;
            return snapshot.Policies;
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>Parses a document for storing under <paramref name="name"/>.</summary>
    /// <exception cref="PolicyDocumentException">Every error in the document.</exception>
    public static ImagePolicyDocument Validate(string name, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var result = ImagePolicyDocument.Parse(content);
        if (!result.Succeeded)
        {
            throw new PolicyDocumentException([.. result.Errors.Select(e => e.ToString())]);
        }

        if (!string.Equals(result.Document.Name, name, StringComparison.Ordinal))
        {
            throw new PolicyDocumentException([$"metadata.name: the document is named '{result.Document.Name}' but is stored as '{name}'"]);
        }

        return result.Document;
    }

    /// <summary>Stores <paramref name="content"/> as the next version of <paramref name="name"/>, unless it equals the newest.</summary>
    /// <returns>The version in force and whether it was created by this call.</returns>
    /// <exception cref="PolicyDocumentException">The name is invalid or the document has errors (all listed).</exception>
    public async Task<(PolicyVersionView Version, bool Created)> PutAsync(string name, string content, string actor, CancellationToken cancellationToken)
    {
        if (!PolicyNames.IsValid(name))
        {
            throw new PolicyDocumentException([$"'{name}' is not a policy name (lower-case letters, digits, '.', '_', '-'; at most {PolicyNames.MaxLength})"]);
        }

        Validate(name, content);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var latest = await db.Policies.AsNoTracking().Where(p => p.Name == name).OrderByDescending(p => p.Version)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (latest is not null && latest.ContentHash == hash)
        {
            return (View(latest, withContent: false), false);
        }

        var entity = new StoredPolicyEntity
        {
            Name = name,
            Version = (latest?.Version ?? 0) + 1,
            Content = content,
            ContentHash = hash,
            CreatedBy = actor,
            CreatedAt = time.GetUtcNow(),
        };
        db.Policies.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another writer stored the same version number first.
            throw new PolicyDocumentException([$"policy '{name}' was changed concurrently; retry"]);
        }

        _snapshot = null;
        LogStored(logger, name, entity.Version, actor);
        return (View(entity, withContent: false), true);
    }

    /// <summary>A page of policies (newest version of each), by name.</summary>
    public async Task<Page<PolicyVersionView>> ListAsync(int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(limit ?? 100, 1, 1000);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var names = db.Policies.AsNoTracking().Select(p => p.Name).Distinct();
        if (cursor is not null)
        {
            names = names.Where(n => string.Compare(n, cursor) > 0);
        }

        var page = await names.OrderBy(n => n).Take(size + 1).ToListAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<PolicyVersionView>();
        foreach (var name in page.Take(size))
        {
            var latest = await db.Policies.AsNoTracking().Where(p => p.Name == name).OrderByDescending(p => p.Version)
                .FirstAsync(cancellationToken).ConfigureAwait(false);
            items.Add(View(latest, withContent: false));
        }

        return new Page<PolicyVersionView>(items, page.Count > size ? page[size - 1] : null);
    }

    /// <summary>One version (the newest without <paramref name="version"/>) with its content, or null.</summary>
    public async Task<PolicyVersionView?> GetAsync(string name, int? version, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Policies.AsNoTracking().Where(p => p.Name == name);
        query = version is { } v ? query.Where(p => p.Version == v) : query.OrderByDescending(p => p.Version);
        var entity = await query.FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return entity is null ? null : View(entity, withContent: true);
    }

    /// <summary>Every version of <paramref name="name"/>, newest first, without content.</summary>
    public async Task<IReadOnlyList<PolicyVersionView>> VersionsAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entities = await db.Policies.AsNoTracking().Where(p => p.Name == name).OrderByDescending(p => p.Version).Take(1000)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. entities.Select(e => View(e, withContent: false))];
    }

    private async Task<IReadOnlyList<ActivePolicy>> LoadActiveAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var newest = await db.Policies.AsNoTracking().GroupBy(p => p.Name).Select(g => new { Name = g.Key, Version = g.Max(p => p.Version) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var active = new List<ActivePolicy>();
        foreach (var key in newest.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            var entity = await db.Policies.AsNoTracking().FirstAsync(p => p.Name == key.Name && p.Version == key.Version, cancellationToken)
                .ConfigureAwait(false);
            var parsed = ImagePolicyDocument.Parse(entity.Content);
            if (parsed.Succeeded)
            {
                active.Add(new ActivePolicy(entity.Name, entity.Version, parsed.Document));
            }
            else
            {
                // Stored versions were valid when stored; a newer Bulwark may read them differently. Fail closed:
                // keep the policy in force as one that fails every image, rather than dropping it.
                LogUnreadable(logger, entity.Name, entity.Version, string.Join("; ", parsed.Errors));
                active.Add(new ActivePolicy(entity.Name, entity.Version, null));
            }
        }

        return active;
    }

    private static PolicyVersionView View(StoredPolicyEntity e, bool withContent) =>
        new(e.Name, e.Version, e.ContentHash, e.CreatedBy, e.CreatedAt, withContent ? e.Content : null);

    private sealed record Snapshot(IReadOnlyList<ActivePolicy> Policies, DateTimeOffset LoadedAt);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Stored policy {Name} version {Version} (by {Actor})")]
    private static partial void LogStored(ILogger logger, string name, int version, string actor);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Error, Message = "Stored policy {Name} version {Version} no longer parses: {Errors}")]
    private static partial void LogUnreadable(ILogger logger, string name, int version, string errors);
}
