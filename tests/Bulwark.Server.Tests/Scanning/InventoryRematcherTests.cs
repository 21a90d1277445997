using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Analysis.Inventory;
using Bulwark.Oci;
using Bulwark.Server.Configuration;
using Bulwark.Server.Scanning;
using Bulwark.Vulnerabilities.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Server.Tests.Scanning;

/// <summary>
/// The re-match of many stored inventories (several pages, stored a page per transaction, matched in parallel) records
/// exactly what matching each image on its own gives, and tells the sinks in digest order.
/// </summary>
public sealed class InventoryRematcherTests : IAsyncLifetime
{
    // More than two pages of the rematcher, so that page boundaries are crossed.
    private const int Images = 230;

    private readonly string _data = Directory.CreateTempSubdirectory("bulwark-rematch-tests-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CapturingSink _events = new();
    private readonly ServiceProvider _services;

    public InventoryRematcherTests()
    {
        var options = new ServerOptions
        {
            Data = _data,
            Database = new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + Path.Combine(_data, "bulwark.db") },
        };
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton(options);
        services.AddBulwarkScanning(options, _data, db => MetadataDatabase.Configure(db, options.Database, options.Data));
        services.AddSingleton<IScanEventSink>(_events);
        _services = services.BuildServiceProvider();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task RematchAll_ManyImages_StoresWhatEachImageMatchesAlone_AndPublishesInDigestOrder()
    {
        await _services.EnsureScanningSchemaAsync(CancellationToken.None);
        var results = _services.GetRequiredService<ScanResultStore>();
        var scanner = _services.GetRequiredService<IImageScanner>();
        var inventories = Enumerable.Range(0, Images).Select(Inventory).ToList();
        foreach (var (inventory, i) in inventories.Select((inventory, i) => (inventory, i)))
        {
            var outcome = await scanner.ScanAsync(inventory, CancellationToken.None);
            await results.StoreAnalysisAsync(inventory.ManifestDigest!, inventory, outcome, CancellationToken.None);
            await AddJobsAsync(inventory.ManifestDigest!, RepositoriesOf(i));
        }

        // The advisory appears: vulnerable versions get a finding, fixed ones and other modules do not.
        _time.Advance(TimeSpan.FromHours(1));
        var advisories = Path.Combine(_data, "advisories");
        WriteGoAdvisory(advisories);
        var firstSeen = _time.GetUtcNow();
        var summary = await ImportAndRematchAsync(advisories);

        var vulnerable = Enumerable.Range(0, Images).Where(i => i % 3 == 0).ToList();
        Assert.Equal(Images, summary.Images);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(vulnerable.Count, summary.NewFindings);
        var expected = vulnerable.Select(i => (Digest: inventories[i].ManifestDigest!, Repositories: RepositoriesOf(i).Order(StringComparer.Ordinal).ToList()))
            .OrderBy(e => e.Digest, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(e => e.Digest), _events.Received.Select(e => e.ManifestDigest));
        Assert.Equal(expected.Select(e => e.Repositories), _events.Received.Select(e => e.Repositories.ToList()));
        // The finding is named by the CVE the advisory aliases (as every report names it).
        Assert.All(_events.Received, e => Assert.Equal("CVE-2099-2001", Assert.Single(e.Findings).VulnerabilityId));
        Assert.All(_events.Received, e => Assert.Equal(firstSeen, e.DetectedAt));
        await AssertStoredAsIfMatchedAloneAsync(inventories);

        // Withdrawn from its source: every finding is closed, none is new.
        _time.Advance(TimeSpan.FromHours(1));
        File.Delete(Path.Combine(advisories, "GO-2099-0001.json"));
        _events.Received.Clear();
        summary = await ImportAndRematchAsync(advisories);
        Assert.Equal((Images, 0, 0), (summary.Images, summary.NewFindings, summary.Failed));
        Assert.Empty(_events.Received);
        await using (var db = await DbAsync())
        {
            var findings = await db.Findings.ToListAsync();
            Assert.Equal(vulnerable.Count, findings.Count);
            Assert.All(findings, f => Assert.Equal(_time.GetUtcNow(), f.ResolvedAt));
            Assert.All(await db.Results.ToListAsync(), r => Assert.Equal(0, r.High));
        }

        // Back again: the closed findings reopen with a new first-seen time and are reported as new.
        _time.Advance(TimeSpan.FromHours(1));
        WriteGoAdvisory(advisories);
        summary = await ImportAndRematchAsync(advisories);
        Assert.Equal(vulnerable.Count, summary.NewFindings);
        Assert.Equal(expected.Select(e => e.Digest), _events.Received.Select(e => e.ManifestDigest));
        await using (var db = await DbAsync())
        {
            var findings = await db.Findings.ToListAsync();
            Assert.Equal(vulnerable.Count, findings.Count);
            Assert.All(findings, f => Assert.Null(f.ResolvedAt));
            Assert.All(findings, f => Assert.Equal(_time.GetUtcNow(), f.FirstSeenAt));
        }

        await AssertStoredAsIfMatchedAloneAsync(inventories);
    }

    [Fact]
    public async Task Rematch_CancelledAfterTheFirstPage_StopsBothStages_AndTheNextPassStoresEverything()
    {
        await _services.EnsureScanningSchemaAsync(CancellationToken.None);
        var results = _services.GetRequiredService<ScanResultStore>();
        var scanner = _services.GetRequiredService<IImageScanner>();
        var inventories = Enumerable.Range(0, Images).Select(Inventory).ToList();
        foreach (var (inventory, i) in inventories.Select((inventory, i) => (inventory, i)))
        {
            await results.StoreAnalysisAsync(inventory.ManifestDigest!, inventory, await scanner.ScanAsync(inventory, CancellationToken.None), CancellationToken.None);
            await AddJobsAsync(inventory.ManifestDigest!, RepositoriesOf(i));
        }

        _time.Advance(TimeSpan.FromHours(1));
        var advisories = Path.Combine(_data, "advisories");
        WriteGoAdvisory(advisories);
        await _services.GetRequiredService<AdvisoryImporter>().ImportOsvAsync("test-go", advisories, null, CancellationToken.None);

        // Cancelled by the first event, i.e. once the first page is stored, while the matching stage is ahead of it.
        using var cancel = new CancellationTokenSource();
        _events.OnEvent = cancel.Cancel;
        var rematcher = _services.GetRequiredService<InventoryRematcher>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rematcher.RematchAllAsync(cancel.Token));
        Assert.InRange(_events.Received.Count, 1, Images / 3);

        _events.OnEvent = null;
        var summary = await rematcher.RematchAllAsync(CancellationToken.None);
        Assert.Equal((Images, 0), (summary.Images, summary.Failed));
        Assert.Equal(Enumerable.Range(0, Images).Count(i => i % 3 == 0), _events.Received.Count);
        await AssertStoredAsIfMatchedAloneAsync(inventories);
    }

    private async Task<RematchSummary> ImportAndRematchAsync(string advisories)
    {
        await _services.GetRequiredService<AdvisoryImporter>().ImportOsvAsync("test-go", advisories, null, CancellationToken.None);
        return await _services.GetRequiredService<InventoryRematcher>().RematchAllAsync(CancellationToken.None);
    }

    /// <summary>Each image's open findings, severity counts and warnings are those of matching it on its own now.</summary>
    private async Task AssertStoredAsIfMatchedAloneAsync(IReadOnlyList<ImageInventory> inventories)
    {
        var scanner = _services.GetRequiredService<IImageScanner>();
        await using var db = await DbAsync();
        var findings = (await db.Findings.Where(f => f.ResolvedAt == null).ToListAsync()).ToLookup(f => f.ManifestDigest, StringComparer.Ordinal);
        var stored = await db.Results.ToDictionaryAsync(r => r.ManifestDigest, StringComparer.Ordinal);
        foreach (var inventory in inventories)
        {
            var digest = inventory.ManifestDigest!;
            var alone = await scanner.ScanAsync(InventoryCodec.DecodeForMatching(InventoryCodec.Encode(inventory)), CancellationToken.None);
            Assert.Equal(alone.Findings.Select(f => (f.Key, f.Document)).Order(), findings[digest].Select(f => (f.Key, f.Document)).Order());
            Assert.Equal(alone.Findings.Count(f => f.Severity == Vulnerabilities.Severity.SeverityRating.High), stored[digest].High);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(alone.Warnings, ScanJsonContext.Default.IReadOnlyListString), stored[digest].Warnings);
            Assert.Equal(_time.GetUtcNow(), stored[digest].MatchedAt);
        }
    }

    private async Task<ScanDbContext> DbAsync() =>
        await _services.GetRequiredService<IDbContextFactory<ScanDbContext>>().CreateDbContextAsync();

    private async Task AddJobsAsync(string digest, IEnumerable<string> repositories)
    {
        await using var db = await DbAsync();
        var now = _time.GetUtcNow();
        foreach (var repository in repositories)
        {
            db.Jobs.Add(new ScanJobEntity
            {
                Repository = repository,
                ManifestDigest = digest,
                MediaType = MediaTypes.OciManifest,
                Status = ScanStatus.Done,
                Attempts = 1,
                NextAttemptAt = now,
                EnqueuedAt = now,
                StartedAt = now,
                FinishedAt = now,
            });
        }

        await db.SaveChangesAsync();
    }

    // Image i is in one team repository; every tenth is mirrored into a second one (the event names both, sorted).
    private static IEnumerable<string> RepositoriesOf(int i) =>
        i % 10 == 0 ? [$"team/app-{i % 7}", "mirror/app"] : [$"team/app-{i % 7}"];

    /// <summary>Image i: a vulnerable module version when i % 3 is 0, the fixed one when 1, neither when 2; always an unrelated module.</summary>
    private static ImageInventory Inventory(int i)
    {
        var layer = new LayerInfo { Index = 0, Digest = DigestOf("layer " + i), DiffId = DigestOf("diff " + i), MediaType = MediaTypes.OciLayerGzip };
        var packages = new List<Package> { Module("example.com/unrelated", "v0.1.0") };
        if (i % 3 != 2)
        {
            packages.Add(Module("example.com/vuln", i % 3 == 0 ? "v1.1.0" : "v1.3.0"));
        }

        return new ImageInventory
        {
            Source = "test/app:" + i.ToString(CultureInfo.InvariantCulture),
            ManifestDigest = DigestOf("manifest " + i),
            Layers = [layer],
            Packages = packages,
            Files = [],
            Warnings = [],
        };

        Package Module(string name, string version) => new()
        {
            Type = PackageTypes.Golang,
            Name = name,
            Version = version,
            FoundIn = "app/server",
            Purl = $"pkg:golang/{name}@{version}",
            LayerIndex = 0,
            LayerDigest = layer.DiffId,
        };
    }

    private static string DigestOf(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void WriteGoAdvisory(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "GO-2099-0001.json"), """
            {"schema_version":"1.6.0","id":"GO-2099-0001","modified":"2026-01-01T00:00:00Z","published":"2026-01-01T00:00:00Z",
             "aliases":["CVE-2099-2001"],"summary":"test advisory",
             "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
             "affected":[{"package":{"ecosystem":"Go","name":"example.com/vuln"},
               "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"}]}]}]}
            """);
    }

    private sealed class CapturingSink : IScanEventSink
    {
        public List<NewFindingsEvent> Received { get; } = [];

        public Action? OnEvent { get; set; }

        public Task NewFindingsAsync(NewFindingsEvent newFindings, CancellationToken cancellationToken)
        {
            lock (Received)
            {
                Received.Add(newFindings);
            }

            OnEvent?.Invoke();
            return Task.CompletedTask;
        }
    }
}
