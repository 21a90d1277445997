using Bulwark.Oci;
using Bulwark.Registry.Metadata;
using Bulwark.Registry.Storage;
using Bulwark.Registry.Uploads;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Registry.GarbageCollection;

/// <summary>
/// Removes what nothing needs any more: untagged manifests past their retention, repository links and blobs
/// no manifest references, abandoned uploads. Nothing younger than the grace period is touched, and every
/// delete is conditional in the database, so pushes in flight are safe; bytes are moved aside and restored
/// if an upload reclaims the blob meanwhile (see <see cref="IBlobStore.DeleteAsync"/>).
/// </summary>
public sealed class GarbageCollector(
    IDbContextFactory<RegistryDbContext> dbFactory,
    IBlobStore store,
    BlobUploadService uploads,
    RegistryOptions options,
    TimeProvider time)
{
    public async Task<GarbageCollectionReport> CollectAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var graceCutoff = now - options.GarbageCollectionGracePeriod;
        var manifests = await CollectManifestsAsync(dryRun, now, cancellationToken).ConfigureAwait(false);
        var links = await CollectLinksAsync(dryRun, graceCutoff, cancellationToken).ConfigureAwait(false);
        var (blobs, bytes) = await CollectBlobsAsync(dryRun, graceCutoff, cancellationToken).ConfigureAwait(false);
        var expired = dryRun ? 0 : await uploads.RemoveExpiredSessionsAsync(cancellationToken).ConfigureAwait(false);
        return new GarbageCollectionReport(dryRun, manifests.Select(m => m.Label).ToList(), links, blobs, bytes, expired);
    }

    private async Task<List<(long RepositoryId, string Digest, string Label)>> CollectManifestsAsync(bool dryRun, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var removed = new List<(long RepositoryId, string Digest, string Label)>();
        if (options.UntaggedManifestRetention is not { } retention)
        {
            return removed;
        }

        var cutoff = now - retention;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // Removing an index can orphan its children, so repeat until nothing more qualifies.
        for (var pass = 0; pass < 8; pass++)
        {
            var gone = removed.Select(r => r.RepositoryId + "@" + r.Digest).ToHashSet(StringComparer.Ordinal);
            var candidates = await (
                from m in db.Manifests
                join r in db.Repositories on m.RepositoryId equals r.Id
                where m.CreatedAt < cutoff
                      && !db.Tags.Any(t => t.RepositoryId == m.RepositoryId && t.ManifestDigest == m.Digest)
                      // A referrer (signature, SBOM…) lives as long as its subject does.
                      && (m.SubjectDigest == null || !db.Manifests.Any(s => s.RepositoryId == m.RepositoryId && s.Digest == m.SubjectDigest))
                select new { m.RepositoryId, m.Digest, r.Name }).ToListAsync(cancellationToken).ConfigureAwait(false);
            var parents = await db.ManifestReferences.Where(x => x.IsManifest)
                .Select(x => new { x.RepositoryId, x.ManifestDigest, x.ReferencedDigest })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var referenced = parents.Where(p => !gone.Contains(p.RepositoryId + "@" + p.ManifestDigest))
                .Select(p => p.RepositoryId + "@" + p.ReferencedDigest).ToHashSet(StringComparer.Ordinal);
            var batch = candidates.Where(c => !gone.Contains(c.RepositoryId + "@" + c.Digest) && !referenced.Contains(c.RepositoryId + "@" + c.Digest)).ToList();
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var m in batch)
            {
                if (!dryRun)
                {
                    // Conditional: a tag pushed since the query keeps the manifest.
                    var deleted = await db.Manifests
                        .Where(x => x.RepositoryId == m.RepositoryId && x.Digest == m.Digest
                                    && !db.Tags.Any(t => t.RepositoryId == x.RepositoryId && t.ManifestDigest == x.Digest))
                        .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                    if (deleted == 0)
                    {
                        continue;
                    }

                    await db.ManifestReferences.Where(x => x.RepositoryId == m.RepositoryId && x.ManifestDigest == m.Digest)
                        .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                }

                removed.Add((m.RepositoryId, m.Digest, m.Name + "@" + m.Digest));
            }
        }

        return removed;
    }

    private async Task<List<string>> CollectLinksAsync(bool dryRun, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var unreferenced = db.RepositoryBlobs.Where(l => l.LinkedAt < cutoff
            && !db.ManifestReferences.Any(r => r.RepositoryId == l.RepositoryId && r.ReferencedDigest == l.Digest));
        var labels = await (from l in unreferenced
                            join r in db.Repositories on l.RepositoryId equals r.Id
                            select r.Name + "@" + l.Digest).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (!dryRun)
        {
            await unreferenced.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return labels;
    }

    private async Task<(List<string> Blobs, long Bytes)> CollectBlobsAsync(bool dryRun, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var garbage = Garbage(db, cutoff);
        var rows = await garbage.Select(b => new { b.Digest, b.Size }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var removed = new List<string>();
        long bytes = 0;
        foreach (var row in rows)
        {
            var digest = Digest.Parse(row.Digest);
            if (!dryRun)
            {
                var deleted = await Garbage(db, cutoff).Where(b => b.Digest == row.Digest)
                    .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                if (deleted == 0)
                {
                    continue;
                }

                await store.DeleteAsync(digest, ct => RowAbsentAsync(row.Digest, ct), cancellationToken).ConfigureAwait(false);
            }

            removed.Add(row.Digest);
            bytes += row.Size;
        }

        // Files with no row at all: left by a crash between the row delete and the file delete.
        var known = await db.Blobs.Select(b => b.Digest).ToListAsync(cancellationToken).ConfigureAwait(false);
        var knownSet = known.ToHashSet(StringComparer.Ordinal);
        await foreach (var (digest, writtenAt) in store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = digest.ToString();
            if (writtenAt >= cutoff || knownSet.Contains(key) || removed.Contains(key))
            {
                continue;
            }

            if (dryRun || await store.DeleteAsync(digest, ct => RowAbsentAsync(key, ct), cancellationToken).ConfigureAwait(false))
            {
                removed.Add(key);
            }
        }

        return (removed, bytes);
    }

    /// <summary>
    /// Blobs past the grace period that nothing keeps: no manifest references them or is them, and no live link
    /// (young, or referenced in its repository) grants them. Stale links are removed first in a real run; in a
    /// dry run they are still there, and this predicate looks through them the same way.
    /// </summary>
    private static IQueryable<BlobEntity> Garbage(RegistryDbContext db, DateTimeOffset cutoff) =>
        db.Blobs.Where(b => b.TouchedAt < cutoff
            && !db.RepositoryBlobs.Any(l => l.Digest == b.Digest
                && (l.LinkedAt >= cutoff || db.ManifestReferences.Any(r => r.RepositoryId == l.RepositoryId && r.ReferencedDigest == l.Digest)))
            && !db.ManifestReferences.Any(r => r.ReferencedDigest == b.Digest)
            && !db.Manifests.Any(m => m.Digest == b.Digest));

    private async Task<bool> RowAbsentAsync(string digest, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return !await db.Blobs.AnyAsync(b => b.Digest == digest, cancellationToken).ConfigureAwait(false);
    }
}
