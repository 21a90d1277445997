using System.Text.Json;
using Bulwark.Oci;
using Bulwark.Registry.Metadata;
using Bulwark.Registry.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Bulwark.Registry.Manifests;

/// <summary>Manifests and tags: push with validation, pull by tag or digest, delete, listings and referrers.</summary>
public sealed class ManifestService(
    IDbContextFactory<RegistryDbContext> dbFactory,
    IBlobStore store,
    RepositoryMetadata repositories,
    RegistryOptions options,
    TimeProvider time) : IDisposable
{
    // Manifests are immutable by digest, so their bytes can be cached without invalidation.
    private readonly MemoryCache _content = new(new MemoryCacheOptions { SizeLimit = 64L * 1024 * 1024 });

    public void Dispose() => _content.Dispose();

    public async Task<StoredManifest> PutAsync(string repository, string reference, ReadOnlyMemory<byte> content, string? contentType,
        CancellationToken cancellationToken)
    {
        if (content.Length > options.MaxManifestBytes)
        {
            throw new RegistryException(RegistryErrorCode.ManifestTooLarge, $"manifest exceeds the {options.MaxManifestBytes}-byte limit");
        }

        var (tag, referenceDigest) = ParseReference(reference);
        ManifestDocument document;
        try
        {
            document = ManifestParser.Parse(content, contentType);
        }
        catch (ManifestFormatException e)
        {
            throw new RegistryException(RegistryErrorCode.ManifestInvalid, e.Message);
        }

        var digest = Digest.Compute(content.Span, referenceDigest?.Algorithm ?? Digest.Sha256);
        if (referenceDigest is { } expected && expected != digest)
        {
            throw new RegistryException(RegistryErrorCode.DigestInvalid, $"manifest has digest {digest}, not {expected}",
                new { expected = expected.ToString(), actual = digest.ToString() });
        }

        // A refused push must not leave an empty repository behind: check first, create after.
        var existingId = await repositories.FindAsync(repository, cancellationToken).ConfigureAwait(false);
        await CheckReferencesAsync(existingId, document, cancellationToken).ConfigureAwait(false);
        var repositoryId = existingId ?? await repositories.GetOrCreateAsync(repository, cancellationToken).ConfigureAwait(false);

        // One transaction for every row, then the bytes (see BlobUploadService.CommitAsync for why in that order).
        var previous = await SaveManifestAsync(repositoryId, digest, content.Length, document, tag, cancellationToken).ConfigureAwait(false);
        await store.PutAsync(digest, content, cancellationToken).ConfigureAwait(false);

        return new StoredManifest(repository, digest, document.MediaType, content.Length, document.Subject?.Digest)
        {
            PreviousTagDigest = previous,
        };
    }

    /// <summary>Finds a manifest by tag or digest, or null.</summary>
    public async Task<StoredManifest?> FindAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        // A tag that breaks the grammar cannot exist, so it is simply not found (as the conformance suite expects).
        if (!reference.Contains(':', StringComparison.Ordinal) && !TagName.IsValid(reference))
        {
            return null;
        }

        var (tag, digest) = ParseReference(reference);
        var repositoryId = await repositories.FindAsync(repository, cancellationToken).ConfigureAwait(false);
        if (repositoryId is null)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var key = digest?.ToString();
        var query = tag is null
            ? db.Manifests.Where(m => m.RepositoryId == repositoryId && m.Digest == key)
            : from t in db.Tags
              join m in db.Manifests on new { t.RepositoryId, Digest = t.ManifestDigest } equals new { m.RepositoryId, m.Digest }
              where t.RepositoryId == repositoryId && t.Name == tag
              select m;
        var row = await query.AsNoTracking().Select(m => new { m.Digest, m.MediaType, m.Size, m.SubjectDigest })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : new StoredManifest(repository, Digest.Parse(row.Digest), row.MediaType, row.Size, row.SubjectDigest);
    }

    public async Task<ReadOnlyMemory<byte>> ReadContentAsync(StoredManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (_content.TryGetValue(manifest.Digest, out byte[]? cached) && cached is not null)
        {
            return cached;
        }

        var stream = await store.OpenReadAsync(manifest.Digest, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorCode.ManifestUnknown, "manifest content is missing from storage");
        byte[] bytes;
        await using (stream.ConfigureAwait(false))
        {
            bytes = new byte[manifest.Size];
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        _content.Set(manifest.Digest, bytes, new MemoryCacheEntryOptions { Size = bytes.Length });
        return bytes;
    }

    /// <summary>Deletes a manifest by digest (with its tags) or just a tag (distribution-spec end-9).</summary>
    public async Task DeleteAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var (tag, digest) = ParseReference(reference);
        var repositoryId = await repositories.FindAsync(repository, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorCode.NameUnknown, $"repository '{repository}' is not known");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (tag is not null)
        {
            var removed = await db.Tags.Where(t => t.RepositoryId == repositoryId && t.Name == tag)
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            if (removed == 0)
            {
                throw new RegistryException(RegistryErrorCode.ManifestUnknown, $"tag '{tag}' is not known");
            }

            return;
        }

        var key = digest!.Value.ToString();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await db.Manifests.Where(m => m.RepositoryId == repositoryId && m.Digest == key)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        if (deleted == 0)
        {
            throw new RegistryException(RegistryErrorCode.ManifestUnknown, $"manifest {key} is not known");
        }

        await db.Tags.Where(t => t.RepositoryId == repositoryId && t.ManifestDigest == key)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.ManifestReferences.Where(r => r.RepositoryId == repositoryId && r.ManifestDigest == key)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Page> ListTagsAsync(string repository, int? n, string? last, CancellationToken cancellationToken)
    {
        var repositoryId = await repositories.FindAsync(repository, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorCode.NameUnknown, $"repository '{repository}' is not known");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Tags.Where(t => t.RepositoryId == repositoryId).Select(t => t.Name);
        return await PageAsync(db, query, n, last, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Page> ListRepositoriesAsync(int? n, string? last, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await PageAsync(db, db.Repositories.Select(r => r.Name), n, last, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Manifests in the repository whose subject is <paramref name="subject"/> (distribution-spec end-12).</summary>
    public async Task<IReadOnlyList<Descriptor>> ListReferrersAsync(string repository, Digest subject, string? artifactType,
        CancellationToken cancellationToken)
    {
        var repositoryId = await repositories.FindAsync(repository, cancellationToken).ConfigureAwait(false);
        if (repositoryId is null)
        {
            return [];
        }

        var key = subject.ToString();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Manifests.AsNoTracking().Where(m => m.RepositoryId == repositoryId && m.SubjectDigest == key);
        if (artifactType is not null)
        {
            query = query.Where(m => m.ArtifactType == artifactType);
        }

        var rows = await query.OrderBy(m => m.Digest).Take(options.MaxPageSize)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(m => new Descriptor
        {
            MediaType = m.MediaType,
            Digest = m.Digest,
            Size = m.Size,
            ArtifactType = m.ArtifactType,
            Annotations = m.AnnotationsJson is null ? null : JsonSerializer.Deserialize(m.AnnotationsJson, RegistryJsonContext.Default.DictionaryStringString),
        }).ToList();
    }

    private async Task<Page> PageAsync(RegistryDbContext db, IQueryable<string> names, int? n, string? last,
        CancellationToken cancellationToken)
    {
        if (n is < 0)
        {
            throw new RegistryException(RegistryErrorCode.PaginationInvalid, "n must not be negative");
        }

        var size = Math.Min(n ?? options.MaxPageSize, options.MaxPageSize);
        if (size == 0)
        {
            return new Page([], null);
        }

        // Listings are in byte order whatever the database's default collation (PostgreSQL's is locale-aware).
        var collation = db.BinaryCollation;
        if (last is not null)
        {
            names = names.Where(name => string.Compare(EF.Functions.Collate(name, collation), last) > 0);
        }

        var items = await names.OrderBy(name => EF.Functions.Collate(name, collation)).Take(size + 1)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return items.Count > size ? new Page(items[..size], items[size - 1]) : new Page(items, null);
    }

    private async Task CheckReferencesAsync(long? repositoryId, ManifestDocument document, CancellationToken cancellationToken)
    {
        var wanted = document.References
            .Where(d => !IsForeignLayer(d.MediaType))
            .Select(d => d.Digest)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var present = new HashSet<string>(StringComparer.Ordinal);
        if (repositoryId is not null)
        {
            await CollectPresentAsync(db, repositoryId.Value, document.IsIndex, wanted, present, cancellationToken).ConfigureAwait(false);
        }

        var missing = wanted.Where(d => !present.Contains(d)).ToList();
        if (missing.Count > 0)
        {
            throw new RegistryException(RegistryErrorCode.ManifestBlobUnknown,
                $"manifest references {missing.Count} unknown {(document.IsIndex ? "manifest(s) or blob(s)" : "blob(s)")}",
                new { digests = missing });
        }
    }

    private static async Task CollectPresentAsync(RegistryDbContext db, long repositoryId, bool isIndex, List<string> wanted,
        HashSet<string> present, CancellationToken cancellationToken)
    {
        present.UnionWith(await db.RepositoryBlobs.Where(l => l.RepositoryId == repositoryId && wanted.Contains(l.Digest))
            .Select(l => l.Digest).ToListAsync(cancellationToken).ConfigureAwait(false));
        if (isIndex)
        {
            present.UnionWith(await db.Manifests.Where(m => m.RepositoryId == repositoryId && wanted.Contains(m.Digest))
                .Select(m => m.Digest).ToListAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Stores the rows of one push; returns the digest the tag pointed to before (null for a new tag).</summary>
    private async Task<string?> SaveManifestAsync(long repositoryId, Digest digest, long size, ManifestDocument document, string? tag,
        CancellationToken cancellationToken)
    {
        var key = digest.ToString();
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.TouchBlobAsync(key, size, now, cancellationToken).ConfigureAwait(false);
        var added = await db.AddManifestAsync(new ManifestEntity
        {
            RepositoryId = repositoryId,
            Digest = key,
            MediaType = document.MediaType,
            Size = size,
            ArtifactType = document.EffectiveArtifactType,
            SubjectDigest = document.Subject?.Digest,
            AnnotationsJson = document.Annotations is null
                ? null
                : JsonSerializer.Serialize(document.Annotations, RegistryJsonContext.Default.IReadOnlyDictionaryStringString),
            CreatedAt = now,
        }, cancellationToken).ConfigureAwait(false);
        if (added)
        {
            foreach (var referenced in document.References.DistinctBy(d => d.Digest, StringComparer.Ordinal))
            {
                await db.AddManifestReferenceAsync(new ManifestReferenceEntity
                {
                    RepositoryId = repositoryId,
                    ManifestDigest = key,
                    ReferencedDigest = referenced.Digest,
                    IsManifest = document.IsIndex && MediaTypes.Manifests.Contains(referenced.MediaType),
                }, cancellationToken).ConfigureAwait(false);
            }
        }

        string? previous = null;
        if (tag is not null)
        {
            previous = await db.Tags.Where(t => t.RepositoryId == repositoryId && t.Name == tag).Select(t => t.ManifestDigest)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            await db.SetTagAsync(repositoryId, tag, key, now, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return previous;
    }

    /// <summary>Splits a manifest reference into a tag or a digest, rejecting anything else.</summary>
    public static (string? Tag, Digest? Digest) ParseReference(string reference)
    {
        if (reference.Contains(':', StringComparison.Ordinal))
        {
            return Digest.TryParse(reference, out var digest)
                ? (null, digest)
                : throw new RegistryException(RegistryErrorCode.DigestInvalid, $"invalid digest '{Truncate(reference)}'");
        }

        return TagName.IsValid(reference)
            ? (reference, null)
            : throw new RegistryException(RegistryErrorCode.ManifestInvalid, $"invalid tag '{Truncate(reference)}'");
    }

    private static bool IsForeignLayer(string mediaType) =>
        mediaType.Contains(".foreign.", StringComparison.Ordinal) || mediaType.Contains("nondistributable", StringComparison.Ordinal);

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
