using Microsoft.EntityFrameworkCore;

namespace Bulwark.Registry.Metadata;

/// <summary>
/// Insert-or-update statements the registry's hot paths use, in the <c>INSERT … ON CONFLICT</c> form that
/// SQLite and PostgreSQL share: one statement each, no exception-and-retry races, and they compose inside
/// a transaction (a failed insert would abort a PostgreSQL transaction).
/// </summary>
internal static class MetadataUpserts
{
    /// <summary>Records a stored blob, refreshing its grace period if it already exists.</summary>
    public static Task TouchBlobAsync(this RegistryDbContext db, string digest, long size, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "registry_blobs" ("Digest", "Size", "TouchedAt") VALUES ({digest}, {size}, {now.ToUnixTimeMilliseconds()})
            ON CONFLICT ("Digest") DO UPDATE SET "TouchedAt" = excluded."TouchedAt"
            """, cancellationToken);

    public static Task LinkBlobAsync(this RegistryDbContext db, long repositoryId, string digest, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "registry_repository_blobs" ("RepositoryId", "Digest", "LinkedAt") VALUES ({repositoryId}, {digest}, {now.ToUnixTimeMilliseconds()})
            ON CONFLICT ("RepositoryId", "Digest") DO UPDATE SET "LinkedAt" = excluded."LinkedAt"
            """, cancellationToken);

    public static Task SetTagAsync(this RegistryDbContext db, long repositoryId, string tag, string digest, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "registry_tags" ("RepositoryId", "Name", "ManifestDigest", "UpdatedAt") VALUES ({repositoryId}, {tag}, {digest}, {now.ToUnixTimeMilliseconds()})
            ON CONFLICT ("RepositoryId", "Name") DO UPDATE SET "ManifestDigest" = excluded."ManifestDigest", "UpdatedAt" = excluded."UpdatedAt"
            """, cancellationToken);

    /// <summary>Adds a manifest row unless the same manifest is already stored; returns whether it was added.</summary>
    public static async Task<bool> AddManifestAsync(this RegistryDbContext db, ManifestEntity m, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "registry_manifests" ("RepositoryId", "Digest", "MediaType", "Size", "ArtifactType", "SubjectDigest", "AnnotationsJson", "CreatedAt")
            VALUES ({m.RepositoryId}, {m.Digest}, {m.MediaType}, {m.Size}, {m.ArtifactType}, {m.SubjectDigest}, {m.AnnotationsJson}, {m.CreatedAt.ToUnixTimeMilliseconds()})
            ON CONFLICT ("RepositoryId", "Digest") DO NOTHING
            """, cancellationToken).ConfigureAwait(false) > 0;

    public static Task AddManifestReferenceAsync(this RegistryDbContext db, ManifestReferenceEntity r, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "registry_manifest_references" ("RepositoryId", "ManifestDigest", "ReferencedDigest", "IsManifest")
            VALUES ({r.RepositoryId}, {r.ManifestDigest}, {r.ReferencedDigest}, {r.IsManifest})
            ON CONFLICT ("RepositoryId", "ManifestDigest", "ReferencedDigest") DO NOTHING
            """, cancellationToken);

    public static Task AddRepositoryAsync(this RegistryDbContext db, string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "registry_repositories" ("Name", "CreatedAt") VALUES ({name}, {now.ToUnixTimeMilliseconds()})
            ON CONFLICT ("Name") DO NOTHING
            """, cancellationToken);
}
