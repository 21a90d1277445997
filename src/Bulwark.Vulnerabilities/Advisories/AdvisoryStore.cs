using System.Diagnostics;
using System.Text;
using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Osv;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>
/// Reads and replaces advisories. An import replaces one source's rows inside a single transaction, so readers see
/// either the old or the new data and a failed import leaves the old data in place.
/// </summary>
public sealed class AdvisoryStore(IDbContextFactory<AdvisoryDbContext> dbFactory, TimeProvider time) : IAdvisoryReader
{
    private const int BatchSize = 1000;

    /// <summary>Package names per query of <see cref="FindByPackagesAsync"/> (one array parameter).</summary>
    private const int NamesPerQuery = 1000;

    /// <summary>
    /// Replaces every advisory of <paramref name="source"/> with <paramref name="entries"/>, atomically. With
    /// <see cref="AdvisorySourceUpdate.TrackChanges"/> the result says what changed (<see cref="AdvisoryImportResult.Changes"/>).
    /// </summary>
    public async Task<AdvisoryImportResult> ReplaceSourceAsync(
        AdvisorySourceUpdate source,
        IAsyncEnumerable<AdvisoryEntry> entries,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(entries);
        var stopwatch = Stopwatch.StartNew();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changes = source.TrackChanges ? await ReadPreviousAsync(db, source.Name, cancellationToken).ConfigureAwait(false) : null;

        await db.Aliases.Where(a => a.Source == source.Name).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.AffectedPackages.Where(p => p.Source == source.Name).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Advisories.Where(a => a.Source == source.Name).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<string>();
        int advisories = 0, packages = 0, rejected = 0, pending = 0;
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (entry.Advisory is not { } advisory)
            {
                Reject(entry.Origin + ": " + entry.Error);
                continue;
            }

            if (!seen.Add(advisory.Id))
            {
                Reject($"{entry.Origin}: duplicate advisory id {advisory.Id}");
                continue;
            }

            var (hash, keys) = Add(db, source.Name, advisory);
            changes?.Record(advisory.Id, hash, keys);
            packages += keys.Count;
            advisories++;
            if (++pending >= BatchSize)
            {
                await FlushAsync(db, cancellationToken).ConfigureAwait(false);
                pending = 0;
                progress?.Report(new ImportProgress(source.Name, ImportStage.Importing, advisories, null));
            }
        }

        await FlushAsync(db, cancellationToken).ConfigureAwait(false);

        var row = await db.Sources.FirstOrDefaultAsync(s => s.Name == source.Name, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new AdvisorySourceEntity { Name = source.Name };
            db.Sources.Add(row);
        }

        row.Url = source.Url;
        row.ETag = source.ETag;
        row.LastModified = source.LastModified;
        row.ImportedAt = time.GetUtcNow();
        row.AdvisoryCount = advisories;
        row.PackageCount = packages;
        row.RejectedCount = rejected;
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(new ImportProgress(source.Name, ImportStage.Committed, advisories, advisories));
        return new AdvisoryImportResult(source.Name, false, advisories, packages, rejected, errors, stopwatch.Elapsed) { Changes = changes?.Finish() };

        void Reject(string message)
        {
            rejected++;
            if (errors.Count < AdvisoryImportResult.MaxReportedErrors)
            {
                errors.Add(message);
            }
        }
    }

    /// <summary>Every source with its counts and the time of its last import.</summary>
    public async Task<IReadOnlyList<AdvisorySource>> GetSourcesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Sources.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(s => s.Name, StringComparer.Ordinal).Select(ToSource)];
    }

    public async Task<AdvisorySource?> FindSourceAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToSource(row);
    }

    /// <summary>The sources, and whether the oldest import is older than <paramref name="maxAge"/> (or nothing was imported).</summary>
    public async Task<AdvisoryDatabaseStatus> GetStatusAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var sources = await GetSourcesAsync(cancellationToken).ConfigureAwait(false);
        return AdvisoryDatabaseStatus.Of(sources, maxAge, time.GetUtcNow());
    }

    /// <summary>The ecosystems (with normalized release) that at least one stored advisory names, e.g. to tell a scan that
    /// its Debian 12 packages met no Debian 12 advisory because none was imported.</summary>
    public async Task<IReadOnlySet<EcosystemName>> GetEcosystemsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.AffectedPackages.AsNoTracking().Select(p => new { p.Ecosystem, p.Release }).Distinct()
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new EcosystemName(r.Ecosystem, r.Release)).ToHashSet();
    }

    public async Task<IReadOnlySet<(string Ecosystem, string Release, string Name)>?> GetPackageKeysAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.AffectedPackages.AsNoTracking().Select(p => new { p.Ecosystem, p.Release, p.Name }).Distinct().Take(limit + 1)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Count > limit ? null : rows.Select(r => (r.Ecosystem, r.Release, r.Name)).ToHashSet();
    }

    /// <summary>The advisories (withdrawn ones excluded) that name a package in an ecosystem release; the name is normalized here.</summary>
    public async Task<IReadOnlyList<StoredAdvisory>> FindByPackageAsync(EcosystemName ecosystem, string name, CancellationToken cancellationToken)
    {
        var normalized = PackageNames.Normalize(ecosystem.Name, name);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await (from p in db.AffectedPackages
                          join a in db.Advisories on new { p.Source, Id = p.AdvisoryId } equals new { a.Source, a.Id }
                          where p.Ecosystem == ecosystem.Name && p.Release == ecosystem.Release && p.Name == normalized && !a.Withdrawn
                          select new { a.Source, a.Document })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new StoredAdvisory(r.Source, OsvParser.Parse(Encoding.UTF8.GetBytes(r.Document)))).OrderBy(a => a, CandidateOrder.Instance)];
    }

    /// <summary>
    /// <see cref="FindByPackageAsync"/> for many packages in a few queries (one per <see cref="NamesPerQuery"/> distinct
    /// names): the rows of every asked name are read together and sorted out by ecosystem and release here, and an
    /// advisory that names several of the packages is parsed once. Each list is in the order <see cref="FindByPackageAsync"/>
    /// gives (source, then id), so that a finding does not depend on which of the two read its advisories.
    /// </summary>
    public async Task<IReadOnlyDictionary<(EcosystemName Ecosystem, string Name), IReadOnlyList<StoredAdvisory>>> FindByPackagesAsync(
        IReadOnlyCollection<(EcosystemName Ecosystem, string Name)> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var wanted = packages.Select(p => (p.Ecosystem.Name, p.Ecosystem.Release, Name: PackageNames.Normalize(p.Ecosystem.Name, p.Name))).ToHashSet();
        var lists = new Dictionary<(string, string, string), List<StoredAdvisory>>();
        var parsed = new Dictionary<(string, string), StoredAdvisory>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        foreach (var names in wanted.Select(w => w.Name).Distinct(StringComparer.Ordinal).Chunk(NamesPerQuery))
        {
            var rows = (from p in db.AffectedPackages
                        join a in db.Advisories on new { p.Source, Id = p.AdvisoryId } equals new { a.Source, a.Id }
                        where names.Contains(p.Name) && !a.Withdrawn
                        select new { p.Ecosystem, p.Release, p.Name, a.Source, a.Id, a.Document })
                .AsNoTracking().AsAsyncEnumerable();
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var key = (row.Ecosystem, row.Release, row.Name);
                if (!wanted.Contains(key))
                {
                    continue;
                }

                if (!parsed.TryGetValue((row.Source, row.Id), out var advisory))
                {
                    parsed[(row.Source, row.Id)] = advisory = new StoredAdvisory(row.Source, OsvParser.Parse(Encoding.UTF8.GetBytes(row.Document)));
                }

                if (!lists.TryGetValue(key, out var list))
                {
                    lists[key] = list = [];
                }

                list.Add(advisory);
            }
        }

        var found = new Dictionary<(EcosystemName Ecosystem, string Name), IReadOnlyList<StoredAdvisory>>();
        foreach (var package in packages)
        {
            var key = (package.Ecosystem.Name, package.Ecosystem.Release, PackageNames.Normalize(package.Ecosystem.Name, package.Name));
            found[package] = lists.TryGetValue(key, out var list) ? [.. list.Order(CandidateOrder.Instance)] : [];
        }

        return found;
    }

    /// <summary>The advisories whose id or alias is <paramref name="id"/> (e.g. every record of one CVE).</summary>
    public async Task<IReadOnlyList<StoredAdvisory>> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Advisories
            .Where(a => a.Id == id || db.Aliases.Any(x => x.Alias == id && x.Source == a.Source && x.AdvisoryId == a.Id))
            .Select(a => new { a.Source, a.Document })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new StoredAdvisory(r.Source, OsvParser.Parse(Encoding.UTF8.GetBytes(r.Document))))];
    }

    private static AdvisorySource ToSource(AdvisorySourceEntity row) =>
        new(row.Name, row.Url, row.ETag, row.LastModified, row.ImportedAt, row.AdvisoryCount, row.PackageCount, row.RejectedCount);

    /// <summary>The advisories of a source as stored before an import replaces them: document hash and package keys by id.</summary>
    private static async Task<AdvisoryChangeTracker> ReadPreviousAsync(AdvisoryDbContext db, string source, CancellationToken cancellationToken)
    {
        var previous = new Dictionary<string, AdvisoryChangeTracker.Previous>(StringComparer.Ordinal);
        var documents = db.Advisories.AsNoTracking().Where(a => a.Source == source).Select(a => new { a.Id, a.Document }).AsAsyncEnumerable();
        await foreach (var row in documents.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            previous[row.Id] = new AdvisoryChangeTracker.Previous(AdvisoryChangeTracker.Hash(Encoding.UTF8.GetBytes(row.Document)), []);
        }

        var packages = db.AffectedPackages.AsNoTracking().Where(p => p.Source == source).Select(p => new { p.AdvisoryId, p.Ecosystem, p.Release, p.Name })
            .AsAsyncEnumerable();
        await foreach (var row in packages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (previous.TryGetValue(row.AdvisoryId, out var advisory))
            {
                advisory.Packages.Add((row.Ecosystem, row.Release, row.Name));
            }
        }

        return new AdvisoryChangeTracker(previous);
    }

    private static (byte[] Hash, HashSet<(string Ecosystem, string Release, string Name)> Keys) Add(AdvisoryDbContext db, string source, OsvVulnerability advisory)
    {
        var document = OsvWriter.Write(advisory);
        db.Advisories.Add(new AdvisoryEntity
        {
            Source = source,
            Id = advisory.Id,
            Modified = advisory.Modified,
            Published = advisory.Published,
            Withdrawn = advisory.Withdrawn is not null,
            Document = Encoding.UTF8.GetString(document),
        });

        var keys = new HashSet<(string Ecosystem, string Release, string Name)>();
        foreach (var affected in advisory.Affected)
        {
            var ecosystem = EcosystemName.Parse(affected.Package.Ecosystem);
            var key = (ecosystem.Name, ecosystem.Release, PackageNames.Normalize(ecosystem.Name, affected.Package.Name));
            if (keys.Add(key))
            {
                db.AffectedPackages.Add(new AffectedPackageEntity
                {
                    Source = source,
                    AdvisoryId = advisory.Id,
                    Ordinal = keys.Count,
                    Ecosystem = key.Item1,
                    Release = key.Item2,
                    Name = key.Item3,
                });
            }
        }

        foreach (var alias in advisory.Aliases.Where(a => a != advisory.Id).Distinct(StringComparer.Ordinal))
        {
            db.Aliases.Add(new AdvisoryAliasEntity { Source = source, AdvisoryId = advisory.Id, Alias = alias });
        }

        return (AdvisoryChangeTracker.Hash(document), keys);
    }

    private static async Task FlushAsync(AdvisoryDbContext db, CancellationToken cancellationToken)
    {
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
    }

    /// <summary>The order of a package's candidate advisories: by source, then id (ordinal), whatever the database returned.</summary>
    private sealed class CandidateOrder : IComparer<StoredAdvisory>
    {
        public static CandidateOrder Instance { get; } = new();

        public int Compare(StoredAdvisory? x, StoredAdvisory? y)
        {
            var result = string.CompareOrdinal(x?.Source, y?.Source);
            return result != 0 ? result : string.CompareOrdinal(x?.Advisory.Id, y?.Advisory.Id);
        }
    }
}
