using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Scanning;
using Bulwark.Vulnerabilities.Tests.Advisories;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Vulnerabilities.Tests.Scanning;

public sealed class AdvisorySnapshotTests : IAsyncLifetime
{
    // A second PyPI advisory for requests, imported as another source after the snapshot was first used.
    private const string LaterRequestsAdvisory = """
        {
          "id": "GHSA-j8r2-6x86-q33q", "modified": "2023-05-22T00:00:00Z", "aliases": ["CVE-2023-32681"],
          "summary": "Unintended leak of Proxy-Authorization header in requests",
          "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
                        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.3.0"}, {"fixed": "2.31.0"}]}]}],
          "database_specific": {"severity": "MODERATE"}
        }
        """;

    private static readonly EcosystemName PyPI = EcosystemName.Parse("PyPI");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private AdvisoryDatabase _db = null!;
    private AdvisoryStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await AdvisoryDatabase.CreateAsync();
        _store = new AdvisoryStore(_db.Factory, _time);
        await ImportAsync("osv:PyPI", "PYSEC-2018-28.json", InventoryScannerTests.RequestsAdvisory);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task FindByPackage_ReadsEachKeyOnce_SoLaterImportsAreNotSeen()
    {
        var snapshot = new AdvisorySnapshot(_store);
        Assert.Equal(["PYSEC-2018-28"], (await snapshot.FindByPackageAsync(PyPI, "requests", CancellationToken.None)).Select(a => a.Advisory.Id));

        await ImportAsync("osv:later", "GHSA-j8r2-6x86-q33q.json", LaterRequestsAdvisory);

        // The same key, spelled differently (PEP 503), is the cached entry; a new snapshot sees the import.
        Assert.Single(await snapshot.FindByPackageAsync(PyPI, "Requests", CancellationToken.None));
        Assert.Equal(2, (await new AdvisorySnapshot(_store).FindByPackageAsync(PyPI, "requests", CancellationToken.None)).Count);
        Assert.Equal(2, (await _store.FindByPackageAsync(PyPI, "requests", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task FindByPackage_OverTheBound_GoesToTheStoreEveryTime()
    {
        var snapshot = new AdvisorySnapshot(_store, maxCachedAdvisories: 0);
        Assert.Single(await snapshot.FindByPackageAsync(PyPI, "requests", CancellationToken.None));

        await ImportAsync("osv:later", "GHSA-j8r2-6x86-q33q.json", LaterRequestsAdvisory);

        Assert.Equal(2, (await snapshot.FindByPackageAsync(PyPI, "requests", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task StatusAndEcosystems_AreReadAtFirstUse()
    {
        var snapshot = new AdvisorySnapshot(_store);
        var status = await snapshot.GetStatusAsync(TimeSpan.FromDays(1), CancellationToken.None);
        Assert.Equal(["PyPI"], (await snapshot.GetEcosystemsAsync(CancellationToken.None)).Select(e => e.ToString()));

        await ImportAsync("debian-tracker", "debian.json", InventoryScannerTests.DebianTracker, debian: true);

        Assert.Same(status, await snapshot.GetStatusAsync(TimeSpan.FromDays(1), CancellationToken.None));
        Assert.Single(await snapshot.GetEcosystemsAsync(CancellationToken.None));
        Assert.Equal(2, (await snapshot.GetStatusAsync(TimeSpan.FromDays(2), CancellationToken.None)).Sources.Count);
        Assert.Equal(2, (await new AdvisorySnapshot(_store).GetEcosystemsAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Scan_WithASharedSnapshot_FindsWhatAFreshScanFinds()
    {
        await ImportAsync("debian-tracker", "debian.json", InventoryScannerTests.DebianTracker, debian: true);
        var scanner = new InventoryScanner(_store, _time);
        var snapshot = new AdvisorySnapshot(_store);

        var fresh = await scanner.ScanAsync(InventoryScannerTests.Inventory(), CancellationToken.None);
        var first = await scanner.ScanAsync(InventoryScannerTests.Inventory(), snapshot, CancellationToken.None);
        var second = await scanner.ScanAsync(InventoryScannerTests.Inventory() with { ManifestDigest = "sha256:other" }, snapshot, CancellationToken.None);

        string[] expected = ["libc6 CVE-2019-1010022", "libssl3 CVE-2010-0928", "libssl3 CVE-2023-5678", "requests CVE-2018-18074"];
        Assert.Equal(expected, fresh.Findings.Select(f => $"{f.Package.Name} {f.Finding.Id}"));
        Assert.Equal(expected, first.Findings.Select(f => $"{f.Package.Name} {f.Finding.Id}"));
        Assert.Equal(expected, second.Findings.Select(f => $"{f.Package.Name} {f.Finding.Id}"));
        Assert.Equal(fresh.Warnings.Select(w => w.Message), second.Warnings.Select(w => w.Message));
    }

    private async Task ImportAsync(string source, string file, string content, bool debian = false)
    {
        var path = Path.Combine(_db.Directory, file);
        await File.WriteAllTextAsync(path, content);
        var importer = new AdvisoryImporter(_store, new HttpClient(), new AdvisoryImportOptions { DownloadDirectory = Path.Combine(_db.Directory, "dl") });
        await (debian
            ? importer.ImportDebianTrackerAsync(source, path, null, CancellationToken.None)
            : importer.ImportOsvAsync(source, path, null, CancellationToken.None));
    }
}
