using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Scanning;

/// <summary>Reads scan jobs, summaries and findings for the API.</summary>
public sealed class ScanReader(IDbContextFactory<ScanDbContext> dbFactory)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The scan of (repository, digest), with its platforms for an index; null when the image was never queued.</summary>
    public async Task<ImageScanView?> GetAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Repository == repository && j.ManifestDigest == digest, cancellationToken)
            .ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }

        return await ViewAsync(db, job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the platform images of an index (their digests come from the index, read by the caller).</summary>
    public async Task<ImageScanView> WithPlatformsAsync(ImageScanView index, IEnumerable<string> platformDigests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var platforms = new List<ImageScanView>();
        foreach (var digest in platformDigests)
        {
            if (await GetAsync(index.Repository, digest, cancellationToken).ConfigureAwait(false) is { } child)
            {
                platforms.Add(child);
            }
        }

        var summaries = platforms.Where(p => p.Summary is not null).Select(p => p.Summary!).ToList();
        return index with
        {
            Platforms = platforms,
            Summary = summaries.Count > 0 ? ScanSummaryView.Sum(summaries) : null,
            PackageCount = platforms.Sum(p => p.PackageCount ?? 0),
        };
    }

    /// <summary>Scans in (repository, digest) order, optionally of one repository and one status; <paramref name="include"/> filters what the caller may see.</summary>
    public async Task<ScanPage<ImageScanView>> ListAsync(string? repository, ScanStatus? status, int? limit, string? cursor,
        Func<string, ValueTask<bool>> include, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(include);
        var size = Limit(limit);
        var (afterRepository, afterDigest) = DecodeCursor(cursor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<ImageScanView>();
        // Rows the caller may not see are skipped; a page examines at most a bounded number of rows, so it can come
        // back short with a cursor to continue.
        var examined = 0;
        string? next = null;
        while (items.Count < size && examined < size * 10)
        {
            var query = db.Jobs.AsNoTracking();
            if (repository is not null)
            {
                query = query.Where(j => j.Repository == repository);
            }

            if (status is { } wanted)
            {
                query = query.Where(j => j.Status == wanted);
            }

            if (afterRepository is not null)
            {
                var ar = afterRepository;
                var ad = afterDigest!;
                query = query.Where(j => string.Compare(j.Repository, ar) > 0 || (j.Repository == ar && string.Compare(j.ManifestDigest, ad) > 0));
            }

            var batch = await query.OrderBy(j => j.Repository).ThenBy(j => j.ManifestDigest).Take(size).ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            if (batch.Count == 0)
            {
                next = null;
                break;
            }

            foreach (var job in batch)
            {
                examined++;
                (afterRepository, afterDigest) = (job.Repository, job.ManifestDigest);
                if (await include(job.Repository).ConfigureAwait(false))
                {
                    items.Add(await ViewAsync(db, job, cancellationToken).ConfigureAwait(false));
                    if (items.Count == size)
                    {
                        break;
                    }
                }
            }

            next = batch.Count < size && items.Count < size ? null : EncodeCursor(afterRepository!, afterDigest!);
            if (batch.Count < size)
            {
                break;
            }
        }

        return new ScanPage<ImageScanView>(items, next);
    }

    /// <summary>Findings of one image manifest by vulnerability id; resolved ones only when asked for.</summary>
    public async Task<ScanPage<FindingView>> FindingsAsync(string digest, bool includeResolved, int? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        var size = Limit(limit);
        var (afterId, afterKey) = DecodeCursor(cursor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Findings.AsNoTracking().Where(f => f.ManifestDigest == digest);
        if (!includeResolved)
        {
            query = query.Where(f => f.ResolvedAt == null);
        }

        if (afterId is not null)
        {
            var ai = afterId;
            var ak = afterKey!;
            query = query.Where(f => string.Compare(f.VulnerabilityId, ai) > 0 || (f.VulnerabilityId == ai && string.Compare(f.Key, ak) > 0));
        }

        var rows = await query.OrderBy(f => f.VulnerabilityId).ThenBy(f => f.Key).Take(size + 1).ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var page = rows.Take(size).Select(f => new FindingView(f.VulnerabilityId, f.PackageName, f.InstalledVersion, f.Severity, f.FirstSeenAt,
            f.ResolvedAt, JsonDocument.Parse(f.Document).RootElement.Clone())).ToList();
        var next = rows.Count > size ? EncodeCursor(rows[size - 1].VulnerabilityId, rows[size - 1].Key) : null;
        return new ScanPage<FindingView>(page, next);
    }

    /// <summary>The stored inventory JSON of an image manifest (decompressed), or null when it was not analysed yet.</summary>
    public async Task<byte[]?> InventoryJsonAsync(string digest, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var stored = await db.Results.Where(r => r.ManifestDigest == digest).Select(r => r.Inventory).FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        return stored is null ? null : JsonSerializer.SerializeToUtf8Bytes(InventoryCodec.Decode(stored), ScanJsonContext.Default.ImageInventory);
    }

    private static async Task<ImageScanView> ViewAsync(ScanDbContext db, ScanJobEntity job, CancellationToken cancellationToken)
    {
        var result = await db.Results.AsNoTracking().Where(r => r.ManifestDigest == job.ManifestDigest)
            .Select(r => new { r.PackageCount, r.AnalyzedAt, r.MatchedAt, r.Critical, r.High, r.Medium, r.Low, r.Unrated, r.Warnings })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return new ImageScanView
        {
            Repository = job.Repository,
            Digest = job.ManifestDigest,
            MediaType = job.MediaType,
            Status = job.Status.ToString().ToLowerInvariant(),
            Attempts = job.Attempts,
            Error = job.Error,
            EnqueuedAt = job.EnqueuedAt,
            FinishedAt = job.FinishedAt,
            NextAttemptAt = job.Status == ScanStatus.Pending ? job.NextAttemptAt : null,
            Summary = result is null ? null : new ScanSummaryView(result.Critical, result.High, result.Medium, result.Low, result.Unrated),
            PackageCount = result?.PackageCount,
            AnalyzedAt = result?.AnalyzedAt,
            MatchedAt = result?.MatchedAt,
            Warnings = result is null ? [] : JsonSerializer.Deserialize(result.Warnings, ScanJsonContext.Default.IReadOnlyListString) ?? [],
        };
    }

    private static int Limit(int? limit) => limit switch
    {
        null => DefaultLimit,
        < 1 or > MaxLimit => throw new ScanApiException(StatusCodes.Status400BadRequest, $"limit must be between 1 and {MaxLimit}"),
        _ => limit.Value,
    };

    private static string EncodeCursor(string first, string second) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(first + "\n" + second));

    private static (string? First, string? Second) DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return (null, null);
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n');
            if (parts.Length == 2)
            {
                return (parts[0], parts[1]);
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw new ScanApiException(StatusCodes.Status400BadRequest, "cursor is not one this server returned");
    }
}
