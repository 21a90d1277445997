using System.Diagnostics;
using Bulwark.Analysis.Inventory;
using Bulwark.BenchmarkSupport;
using Bulwark.Server.Configuration;
using Bulwark.Server.Scanning;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bulwark.ScanBench;

/// <summary>
/// Re-match of stored inventories after an advisory update, with the server's own composition
/// (<see cref="ScanningServiceCollectionExtensions.AddBulwarkScanning"/>: <see cref="ScanResultStore"/>,
/// <see cref="InventoryImageScanner"/>, <see cref="InventoryRematcher"/>, the advisory tables in the metadata
/// database) on SQLite or PostgreSQL. The database starts with the shared archives minus their newest advisories;
/// every generated inventory is matched and stored as scan-on-push stores it (gzip JSON, findings rows, a done job);
/// then the full archives are imported (the update) and every inventory is re-matched — the timed part.
/// </summary>
internal static class RematchBenchmark
{
    public static async Task<RematchFigures> RunAsync(BenchOptions options, string database, ImageInventory debian, SharedAdvisories advisories,
        string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var data = Directory.CreateDirectory(Path.Combine(temp, "server-" + database)).FullName;
        string? scratch = null;
        var serverOptions = new ServerOptions { Data = data };
        if (database == "postgres")
        {
            scratch = "bulwark_scanbench_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..12];
            serverOptions.Database = new DatabaseOptions { Provider = "postgres", ConnectionString = await CreateDatabaseAsync(options.Postgres!, scratch, cancellationToken) };
        }
        else
        {
            serverOptions.Database = new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + Path.Combine(data, "bulwark.db") };
        }

        try
        {
            return await RunOnAsync(options, database, serverOptions, debian, advisories, log, cancellationToken);
        }
        finally
        {
            if (scratch is not null)
            {
                await DropDatabaseAsync(options.Postgres!, scratch, log);
            }
        }
    }

    private static async Task<RematchFigures> RunOnAsync(BenchOptions options, string database, ServerOptions serverOptions, ImageInventory debian,
        SharedAdvisories advisories, TextWriter log, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(serverOptions);
        services.AddBulwarkScanning(serverOptions, serverOptions.Data, db => MetadataDatabase.Configure(db, serverOptions.Database, serverOptions.Data));
        await using var provider = services.BuildServiceProvider();
        await provider.EnsureScanningSchemaAsync(cancellationToken);
        var scanDb = provider.GetRequiredService<IDbContextFactory<ScanDbContext>>();
        await using (var db = await scanDb.CreateDbContextAsync(cancellationToken))
        {
            await MetadataDatabase.PrepareAsync(db, cancellationToken);
        }

        var importer = provider.GetRequiredService<AdvisoryImporter>();
        var store = provider.GetRequiredService<AdvisoryStore>();
        await log.WriteLineAsync($"rematch/{database}: importing the archives without their {advisories.Withheld} newest advisories");
        foreach (var zip in advisories.BaselineZips)
        {
            await importer.ImportOsvAsync(SourceName(zip), zip, null, cancellationToken);
        }

        if (options.DebianTracker is { } tracker)
        {
            await importer.ImportDebianTrackerAsync("debian-tracker", tracker, null, cancellationToken);
        }

        var before = (await store.GetSourcesAsync(cancellationToken)).Sum(s => s.AdvisoryCount);

        await log.WriteLineAsync($"rematch/{database}: matching and storing {options.Images} generated inventories");
        var generator = new InventoryGenerator(debian, advisories.Candidates, options.Seed);
        var scanner = provider.GetRequiredService<IImageScanner>();
        var results = provider.GetRequiredService<ScanResultStore>();
        long packages = 0;
        var languagePackages = 0;
        var findingsBefore = 0;
        var stored = Stopwatch.StartNew();
        for (var i = 0; i < options.Images; i++)
        {
            var inventory = generator.Generate(i);
            packages += inventory.Packages.Count;
            languagePackages += inventory.Packages.Count(p => p.Type != PackageTypes.Deb);
            var outcome = await scanner.ScanAsync(inventory, cancellationToken);
            findingsBefore += (await results.StoreAnalysisAsync(inventory.ManifestDigest!, inventory, outcome, cancellationToken)).Count;
            await AddDoneJobAsync(scanDb, InventoryGenerator.RepositoryOf(i), inventory.ManifestDigest!, cancellationToken);
        }

        var storeMs = stored.Elapsed.TotalMilliseconds;
        double storedMiB;
        await using (var db = await scanDb.CreateDbContextAsync(cancellationToken))
        {
            storedMiB = (await db.Results.Select(r => r.Inventory.Length).ToListAsync(cancellationToken)).Sum(l => (double)l) / (1024 * 1024);
        }

        await log.WriteLineAsync($"rematch/{database}: the update (full archives)");
        var update = Stopwatch.StartNew();
        var changes = new List<AdvisoryChangeSet?>();
        foreach (var zip in options.OsvZips)
        {
            changes.Add((await importer.ImportOsvAsync(SourceName(zip), zip, null, cancellationToken)).Changes);
        }

        var updateMs = update.Elapsed.TotalMilliseconds;
        if (options.AsUpgraded)
        {
            await using var db = await scanDb.CreateDbContextAsync(cancellationToken);
            await db.MatchInputs.ExecuteDeleteAsync(cancellationToken);
            await db.MatchOutcomes.ExecuteDeleteAsync(cancellationToken);
        }

        var after = (await store.GetSourcesAsync(cancellationToken)).Sum(s => s.AdvisoryCount);

        await log.WriteLineAsync($"rematch/{database}: re-matching every stored inventory");
        PeakMemory.Reset();
        var startMiB = PeakMemory.PeakMiB();
        var loadBefore = PeakMemory.LoadAverage();
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        using var sampler = int.TryParse(Environment.GetEnvironmentVariable("BENCH_ALLOCATION_TYPES"), out var topTypes) && topTypes > 0 ? new AllocationSampler() : null;
        sampler?.Start();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        // As AdvisoryUpdater does after an update: only the images holding a package the update changed.
        var summary = await provider.GetRequiredService<InventoryRematcher>().RematchAsync(
            options.FullRematch ? null : AdvisoryChangeSet.ChangedPackages(changes.Where(c => c is not { IsEmpty: true })), cancellationToken);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (sampler is not null)
        {
            foreach (var (type, bytes) in sampler.Stop(topTypes))
            {
                await log.WriteLineAsync(FormattableString.Invariant($"allocated (sampled) {bytes / (1024.0 * 1024):0.0} MiB {type}"));
            }
        }

        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var findingsSha256 = await FindingsSha256Async(scanDb, cancellationToken);
        return new RematchFigures
        {
            Database = database,
            Images = options.Images,
            Packages = packages,
            LanguagePackages = languagePackages,
            StoredInventoryMiB = Math.Round(storedMiB, 1),
            AdvisoriesBefore = before,
            AdvisoriesAfter = after,
            StoreMs = Math.Round(storeMs, 1),
            FindingsBefore = findingsBefore,
            UpdateImportMs = Math.Round(updateMs, 1),
            RematchMs = Math.Round(summary.Elapsed.TotalMilliseconds, 1),
            RematchCpuMs = Math.Round(cpu.TotalMilliseconds, 1),
            RematchAllocatedMiB = Math.Round(allocated / (1024.0 * 1024), 1),
            LoadAverageBefore = loadBefore,
            LoadAverageAfter = PeakMemory.LoadAverage(),
            RematchedImages = summary.Images,
            UnaffectedImages = summary.Unaffected,
            UnchangedImages = summary.Unchanged,
            AsUpgraded = options.AsUpgraded,
            StartWorkingSetMiB = startMiB,
            ChangedPackages = AdvisoryChangeSet.ChangedPackages(changes)?.Count,
            NewFindings = summary.NewFindings,
            Failed = summary.Failed,
            PeakWorkingSetMiB = PeakMemory.PeakMiB(),
            FindingsSha256 = findingsSha256,
        };
    }

    /// <summary>
    /// SHA-256 of every stored finding after the re-match (digest, key, severity, document, open or closed; not the times),
    /// in key order: equal between two builds exactly when they stored the same findings.
    /// </summary>
    private static async Task<string> FindingsSha256Async(IDbContextFactory<ScanDbContext> scanDb, CancellationToken cancellationToken)
    {
        await using var db = await scanDb.CreateDbContextAsync(cancellationToken);
        var rows = await db.Findings.AsNoTracking().Select(f => new { f.ManifestDigest, f.Key, f.Severity, f.Document, Open = f.ResolvedAt == null })
            .ToListAsync(cancellationToken);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var row in rows.OrderBy(r => r.ManifestDigest, StringComparer.Ordinal).ThenBy(r => r.Key, StringComparer.Ordinal))
        {
            foreach (var field in new[] { row.ManifestDigest, row.Key, row.Severity, row.Document, row.Open ? "open" : "closed" })
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(field);
                hash.AppendData(BitConverter.GetBytes(bytes.Length));
                hash.AppendData(bytes);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16] + " (" + rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " rows)";
    }

    /// <summary>The source name <c>bulwark db update</c> gives an archive (<c>PyPI.zip</c> → <c>osv:PyPI</c>), so the update replaces it.</summary>
    private static string SourceName(string zip) => "osv:" + Path.GetFileNameWithoutExtension(zip);

    /// <summary>The queue row scan-on-push leaves behind: the re-match reads it to name the repositories holding the image.</summary>
    private static async Task AddDoneJobAsync(IDbContextFactory<ScanDbContext> factory, string repository, string digest, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.Jobs.Add(new ScanJobEntity
        {
            Repository = repository,
            ManifestDigest = digest,
            MediaType = Bulwark.Oci.MediaTypes.OciManifest,
            Status = ScanStatus.Done,
            Attempts = 1,
            NextAttemptAt = now,
            EnqueuedAt = now,
            StartedAt = now,
            FinishedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<string> CreateDatabaseAsync(string connectionString, string name, CancellationToken cancellationToken)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
    }

    // A scratch database that cannot be dropped (FORCE needs pg_signal_backend while a session is still open) is
    // reported, not thrown: the figures of the run that used it are still good.
    private static async Task DropDatabaseAsync(string connectionString, string name, TextWriter log)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException e)
        {
            await log.WriteLineAsync($"warning: scratch database {name} was not dropped ({e.MessageText}); drop it by hand");
        }
    }
}
