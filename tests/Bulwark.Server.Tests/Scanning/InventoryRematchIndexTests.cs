using System.Security.Cryptography;
using System.Text;
using Bulwark.Analysis.Inventory;
using Bulwark.Oci;
using Bulwark.Server.Configuration;
using Bulwark.Server.Scanning;
using Bulwark.Tests.Shared;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Server.Tests.Scanning;

/// <summary>
/// After an update, only the images holding a package one of the changed advisories names are matched again (the
/// re-match index); the others keep their findings untouched. Images stored before the index existed are re-matched
/// and indexed. On SQLite and PostgreSQL.
/// </summary>
public sealed class InventoryRematchIndexTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("bulwark-rematch-index-tests-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<NewFindingsEvent> _events = [];
    private ServiceProvider? _services;
    private string? _postgresDatabase;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            await TestPostgres.DropAsync(_postgresDatabase);
        }

        Directory.Delete(_data, recursive: true);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Update_RematchesOnlyImagesHoldingAChangedPackage_AndIndexesImagesStoredBeforeTheIndex(string database)
    {
        await StartAsync(database);
        var advisories = Path.Combine(_data, "advisories");
        Directory.CreateDirectory(advisories);
        WriteAdvisory(advisories, "GO-2099-0001", "CVE-2099-0001", "example.com/vuln", "1.2.0");
        WriteAdvisory(advisories, "GO-2099-0002", "CVE-2099-0002", "example.com/other", "2.0.0");
        Assert.Equal(2, (await ImportAsync(advisories)).Changes!.Added);

        // vuln: vulnerable to 0001; other: vulnerable to 0002; unrelated: no advisory yet; old: stored before the index.
        var images = new Dictionary<string, ImageInventory>
        {
            ["vuln"] = Inventory("vuln", ("example.com/vuln", "v1.1.0")),
            ["other"] = Inventory("other", ("example.com/other", "v1.0.0")),
            ["unrelated"] = Inventory("unrelated", ("example.com/unrelated", "v0.1.0")),
            ["old"] = Inventory("old", ("example.com/standalone", "v1.0.0")),
        };
        foreach (var inventory in images.Values)
        {
            await ScanAndStoreAsync(inventory);
        }

        var stored = _time.GetUtcNow();
        await using (var db = await DbAsync())
        {
            Assert.Equal(4, await db.MatchStates.CountAsync());
            Assert.Equal(4, await db.PackageKeys.CountAsync());
            await db.PackageKeys.Where(k => k.ManifestDigest == Digest("old")).ExecuteDeleteAsync();
            await db.MatchStates.Where(k => k.ManifestDigest == Digest("old")).ExecuteDeleteAsync();

            // Marks a stored finding: a re-match would rewrite it, a skipped image keeps it.
            await db.Findings.Where(f => f.ManifestDigest == Digest("vuln")).ExecuteUpdateAsync(s => s.SetProperty(f => f.Document, "untouched"));
        }

        // Update 1: an advisory for example.com/unrelated appears.
        _time.Advance(TimeSpan.FromHours(1));
        WriteAdvisory(advisories, "GO-2099-0003", "CVE-2099-0003", "example.com/unrelated", "1.0.0");
        var changes = (await ImportAsync(advisories)).Changes!;
        Assert.Equal((1, 0, 0), (changes.Added, changes.Modified, changes.Removed));
        Assert.Equal([("Go", "", "example.com/unrelated")], changes.Packages!);
        var summary = await RematchAsync(changes);

        // "unrelated" holds the package and gains the finding; "old" has no index rows yet and is re-matched (and indexed).
        Assert.Equal((2, 2, 1, 0), (summary.Images, summary.Unaffected, summary.NewFindings, summary.Failed));
        var appeared = Assert.Single(_events);
        Assert.Equal(Digest("unrelated"), appeared.ManifestDigest);
        Assert.Equal("CVE-2099-0003", Assert.Single(appeared.Findings).VulnerabilityId);
        await using (var db = await DbAsync())
        {
            var vuln = await db.Findings.SingleAsync(f => f.ManifestDigest == Digest("vuln"));
            Assert.Equal(("untouched", stored, (DateTimeOffset?)null), (vuln.Document, vuln.FirstSeenAt, vuln.ResolvedAt));
            Assert.True(await db.MatchStates.AnyAsync(s => s.ManifestDigest == Digest("old")));
            Assert.Equal("example.com/standalone", (await db.PackageKeys.SingleAsync(k => k.ManifestDigest == Digest("old"))).Name);
            Assert.All(await db.Results.ToListAsync(), r => Assert.Equal(_time.GetUtcNow(), r.MatchedAt));
        }

        // Update 2: 0001 modified (fixed earlier, so v1.1.0 is no longer affected), 0002 withdrawn.
        _time.Advance(TimeSpan.FromHours(1));
        WriteAdvisory(advisories, "GO-2099-0001", "CVE-2099-0001", "example.com/vuln", "1.0.5");
        WriteAdvisory(advisories, "GO-2099-0002", "CVE-2099-0002", "example.com/other", "2.0.0", withdrawn: true);
        _events.Clear();
        changes = (await ImportAsync(advisories)).Changes!;
        Assert.Equal((0, 2, 0), (changes.Added, changes.Modified, changes.Removed));
        summary = await RematchAsync(changes);
        Assert.Equal((2, 2, 0, 0), (summary.Images, summary.Unaffected, summary.NewFindings, summary.Failed));
        Assert.Empty(_events);
        await using (var db = await DbAsync())
        {
            Assert.Equal(_time.GetUtcNow(), (await db.Findings.SingleAsync(f => f.ManifestDigest == Digest("vuln"))).ResolvedAt);
            Assert.Equal(_time.GetUtcNow(), (await db.Findings.SingleAsync(f => f.ManifestDigest == Digest("other"))).ResolvedAt);
            Assert.Null((await db.Findings.SingleAsync(f => f.ManifestDigest == Digest("unrelated"))).ResolvedAt);
        }

        await AssertStoredAsIfMatchedAloneAsync(images.Values);

        // Update 3: 0003 removed from the source; only "unrelated" is matched again, its finding is closed.
        _time.Advance(TimeSpan.FromHours(1));
        File.Delete(Path.Combine(advisories, "GO-2099-0003.json"));
        changes = (await ImportAsync(advisories)).Changes!;
        Assert.Equal((0, 0, 1), (changes.Added, changes.Modified, changes.Removed));
        summary = await RematchAsync(changes);
        Assert.Equal((1, 3), (summary.Images, summary.Unaffected));
        await using (var db = await DbAsync())
        {
            Assert.Equal(_time.GetUtcNow(), (await db.Findings.SingleAsync(f => f.ManifestDigest == Digest("unrelated"))).ResolvedAt);
        }

        await AssertStoredAsIfMatchedAloneAsync(images.Values);

        // The same advisories again: nothing changed, nothing is matched.
        changes = (await ImportAsync(advisories)).Changes!;
        Assert.True(changes.IsEmpty);
        Assert.Empty(changes.Packages!);
        summary = await RematchAsync(changes);
        Assert.Equal((0, 4), (summary.Images, summary.Unaffected));

        // Without a change set every image is matched.
        summary = await _services!.GetRequiredService<InventoryRematcher>().RematchAllAsync(CancellationToken.None);
        Assert.Equal((4, 0), (summary.Images, summary.Unaffected));
        await AssertStoredAsIfMatchedAloneAsync(images.Values);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task NewEcosystem_RematchesImagesWhoseWarningsNamedItAsUncovered(string database)
    {
        var advisories = await StartWithVulnAdvisoryAsync(database);
        var python = Inventory("python", ("example.com/vuln", "v1.3.0")) with
        {
            Packages = [.. Inventory("python", ("example.com/vuln", "v1.3.0")).Packages, new Package
            {
                Type = PackageTypes.PyPI, Name = "requests", Version = "2.0.0", FoundIn = "site-packages", Purl = "pkg:pypi/requests@2.0.0",
            }],
        };
        var outcome = await ScanAndStoreAsync(python);
        Assert.Contains(outcome.Warnings, w => w.Contains("no advisory for PyPI", StringComparison.Ordinal));

        // A PyPI advisory for another package: "requests" is not among the changed keys, but its image's warning must go.
        _time.Advance(TimeSpan.FromHours(1));
        File.WriteAllText(Path.Combine(advisories, "PYSEC-2099-1.json"), """
            {"schema_version":"1.6.0","id":"PYSEC-2099-1","modified":"2026-01-01T00:00:00Z",
             "affected":[{"package":{"ecosystem":"PyPI","name":"flask"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]}]}]}
            """);
        var summary = await RematchAsync((await ImportAsync(advisories)).Changes!);
        Assert.Equal((1, 0), (summary.Images, summary.Unaffected));
        await AssertStoredAsIfMatchedAloneAsync([python]);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Rematch_SameOutcome_WritesOnlyTheMatchTime_AndImagesStoredBeforeMatchInputsGetThem(string database)
    {
        var advisories = await StartWithVulnAdvisoryAsync(database);
        var images = new[] { Inventory("vuln", ("example.com/vuln", "v1.1.0")), Inventory("fixed", ("example.com/vuln", "v1.3.0")) };
        foreach (var inventory in images)
        {
            await ScanAndStoreAsync(inventory);
        }

        var stored = _time.GetUtcNow();
        await using (var db = await DbAsync())
        {
            Assert.Equal(2, await db.MatchInputs.CountAsync());
            Assert.Equal(2, await db.MatchOutcomes.CountAsync());
            // The matching input is the inventory without what matching never reads.
            var input = InventoryCodec.Decode((await db.MatchInputs.SingleAsync(i => i.ManifestDigest == Digest("vuln"))).Inventory);
            Assert.Equal(images[0].Packages.Select(p => (p.Type, p.Name, p.Version, p.Purl, p.FoundIn, p.LayerIndex, p.LayerDigest)),
                input.Packages.Select(p => (p.Type, p.Name, p.Version, p.Purl, p.FoundIn, p.LayerIndex, p.LayerDigest)));
            Assert.Equal(images[0].Layers, input.Layers);
            await db.Findings.ExecuteUpdateAsync(s => s.SetProperty(f => f.Document, "untouched"));
        }

        // Matched again with nothing changed: no finding is read or written (the marked document stays), the time moves.
        _time.Advance(TimeSpan.FromHours(1));
        var summary = await _services!.GetRequiredService<InventoryRematcher>().RematchAllAsync(CancellationToken.None);
        Assert.Equal((2, 2, 0, 0), (summary.Images, summary.Unchanged, summary.NewFindings, summary.Failed));
        await using (var db = await DbAsync())
        {
            Assert.Equal("untouched", (await db.Findings.SingleAsync()).Document);
            Assert.All(await db.Results.ToListAsync(), r => Assert.Equal(_time.GetUtcNow(), r.MatchedAt));

            // As a database from before matching inputs and outcomes: every image is read whole, diffed and written in full.
            await db.MatchInputs.ExecuteDeleteAsync();
            await db.MatchOutcomes.ExecuteDeleteAsync();
        }

        summary = await _services!.GetRequiredService<InventoryRematcher>().RematchAllAsync(CancellationToken.None);
        Assert.Equal((2, 0, 0), (summary.Images, summary.Unchanged, summary.NewFindings));
        await AssertStoredAsIfMatchedAloneAsync(images);
        await using (var db = await DbAsync())
        {
            Assert.Equal(2, await db.MatchInputs.CountAsync());
            Assert.Equal(2, await db.MatchOutcomes.CountAsync());
        }

        // Matched from the inputs just written: the same outcome as from the whole inventories.
        summary = await _services!.GetRequiredService<InventoryRematcher>().RematchAllAsync(CancellationToken.None);
        Assert.Equal((2, 2), (summary.Images, summary.Unchanged));

        // The advisory's text changes, not its verdicts: the finding's document is rewritten, its first-seen time kept.
        _time.Advance(TimeSpan.FromHours(1));
        File.WriteAllText(Path.Combine(advisories, "GO-2099-0001.json"),
            File.ReadAllText(Path.Combine(advisories, "GO-2099-0001.json")).Replace("test advisory", "test advisory, reworded", StringComparison.Ordinal));
        _events.Clear();
        summary = await RematchAsync((await ImportAsync(advisories)).Changes!);
        Assert.Equal((2, 1, 0), (summary.Images, summary.Unchanged, summary.NewFindings));
        Assert.Empty(_events);
        await using (var db = await DbAsync())
        {
            var finding = await db.Findings.SingleAsync();
            Assert.Contains("test advisory, reworded", finding.Document, StringComparison.Ordinal);
            Assert.Equal((stored, (DateTimeOffset?)null), (finding.FirstSeenAt, finding.ResolvedAt));
        }

        await AssertStoredAsIfMatchedAloneAsync(images);
    }

    private async Task StartAsync(string database)
    {
        var options = new ServerOptions { Data = _data };
        if (database == "postgres")
        {
            _postgresDatabase = "bulwark_test_rematch_" + Guid.NewGuid().ToString("N")[..12];
            await TestPostgres.CreateAsync(_postgresDatabase);
            options.Database = new DatabaseOptions { Provider = "postgres", ConnectionString = TestPostgres.ConnectionString(_postgresDatabase) };
        }
        else
        {
            options.Database = new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + Path.Combine(_data, "bulwark.db") };
        }

        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton(options);
        services.AddBulwarkScanning(options, _data, db => MetadataDatabase.Configure(db, options.Database, options.Data));
        services.AddSingleton<IScanEventSink>(new CapturingSink(_events));
        _services = services.BuildServiceProvider();
        await _services.EnsureScanningSchemaAsync(CancellationToken.None);

        // A second start finds the index tables there (created if not exists).
        await _services.EnsureScanningSchemaAsync(CancellationToken.None);
    }

    // Started with GO-2099-0001 (example.com/vuln, fixed in 1.2.0) imported; returns the advisory directory.
    private async Task<string> StartWithVulnAdvisoryAsync(string database)
    {
        await StartAsync(database);
        var advisories = Path.Combine(_data, "advisories");
        Directory.CreateDirectory(advisories);
        WriteAdvisory(advisories, "GO-2099-0001", "CVE-2099-0001", "example.com/vuln", "1.2.0");
        await ImportAsync(advisories);
        return advisories;
    }

    // Scanned and stored as scan-on-push does.
    private async Task<ImageScanOutcome> ScanAndStoreAsync(ImageInventory inventory)
    {
        var outcome = await _services!.GetRequiredService<IImageScanner>().ScanAsync(inventory, CancellationToken.None);
        await _services!.GetRequiredService<ScanResultStore>().StoreAnalysisAsync(inventory.ManifestDigest!, inventory, outcome, CancellationToken.None);
        return outcome;
    }

    private async Task<AdvisoryImportResult> ImportAsync(string advisories) =>
        await _services!.GetRequiredService<AdvisoryImporter>().ImportOsvAsync("test-go", advisories, null, CancellationToken.None);

    private async Task<RematchSummary> RematchAsync(AdvisoryChangeSet changes) =>
        await _services!.GetRequiredService<InventoryRematcher>().RematchAsync(changes.Packages, CancellationToken.None);

    private async Task<ScanDbContext> DbAsync() =>
        await _services!.GetRequiredService<IDbContextFactory<ScanDbContext>>().CreateDbContextAsync();

    /// <summary>Each image's open findings and warnings are those of matching it on its own now.</summary>
    private async Task AssertStoredAsIfMatchedAloneAsync(IEnumerable<ImageInventory> inventories)
    {
        var scanner = _services!.GetRequiredService<IImageScanner>();
        await using var db = await DbAsync();
        var findings = (await db.Findings.Where(f => f.ResolvedAt == null).ToListAsync()).ToLookup(f => f.ManifestDigest, StringComparer.Ordinal);
        var stored = await db.Results.ToDictionaryAsync(r => r.ManifestDigest, StringComparer.Ordinal);
        foreach (var inventory in inventories)
        {
            var digest = inventory.ManifestDigest!;
            var alone = await scanner.ScanAsync(inventory, CancellationToken.None);
            Assert.Equal(alone.Findings.Select(f => (f.Key, f.Document)).Order(), findings[digest].Select(f => (f.Key, f.Document)).Order());
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(alone.Warnings, ScanJsonContext.Default.IReadOnlyListString), stored[digest].Warnings);
        }
    }

    private static string Digest(string name) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("manifest " + name)));

    private static ImageInventory Inventory(string name, params (string Module, string Version)[] modules)
    {
        var layer = new LayerInfo { Index = 0, Digest = Digest("layer " + name), DiffId = Digest("diff " + name), MediaType = MediaTypes.OciLayerGzip };
        return new ImageInventory
        {
            Source = "test/" + name + ":1",
            ManifestDigest = Digest(name),
            Layers = [layer],
            Packages = [.. modules.Select(m => new Package
            {
                Type = PackageTypes.Golang,
                Name = m.Module,
                Version = m.Version,
                FoundIn = "app/server",
                Purl = $"pkg:golang/{m.Module}@{m.Version}",
                LayerIndex = 0,
                LayerDigest = layer.DiffId,
            })],
            Files = [],
            Warnings = [],
        };
    }

    private static void WriteAdvisory(string directory, string id, string alias, string module, string fixedIn, bool withdrawn = false) =>
        File.WriteAllText(Path.Combine(directory, id + ".json"), $$"""
            {"schema_version":"1.6.0","id":"{{id}}","modified":"2026-01-01T00:00:00Z","published":"2026-01-01T00:00:00Z",
             {{(withdrawn ? "\"withdrawn\":\"2026-02-01T00:00:00Z\"," : "")}}
             "aliases":["{{alias}}"],"summary":"test advisory",
             "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
             "affected":[{"package":{"ecosystem":"Go","name":"{{module}}"},
               "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"{{fixedIn}}"}]}]}]}
            """);

    private sealed class CapturingSink(List<NewFindingsEvent> received) : IScanEventSink
    {
        public Task NewFindingsAsync(NewFindingsEvent newFindings, CancellationToken cancellationToken)
        {
            lock (received)
            {
                received.Add(newFindings);
            }

            return Task.CompletedTask;
        }
    }
}
