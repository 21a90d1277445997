using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Analysis.Inventory;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Scanning;
using Bulwark.Vulnerabilities.Severity;
using Bulwark.Vulnerabilities.Tests.Advisories;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Vulnerabilities.Tests.Scanning;

public sealed class InventoryScannerTests : IAsyncLifetime
{
    // Debian Security Tracker JSON for source packages of the inventory below (shape of tracker/data/json).
    internal const string DebianTracker = """
        {
          "openssl": {
            "CVE-2023-5678": {
              "description": "Excessive time spent in DH check / generation with large Q parameter value",
              "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.13-1~deb12u1", "urgency": "low"}}
            },
            "CVE-2010-0928": {
              "description": "fault-based attack",
              "releases": {"bookworm": {"status": "open", "urgency": "unimportant", "nodsa_reason": "ignored"}}
            }
          },
          "glibc": {
            "CVE-2023-4911": {
              "description": "Looney Tunables",
              "releases": {"bookworm": {"status": "resolved", "fixed_version": "2.36-9+deb12u3", "urgency": "high"}}
            },
            "CVE-2019-1010022": {
              "description": "Mitigation bypass",
              "releases": {"bookworm": {"status": "open", "urgency": "unimportant", "nodsa_reason": "ignored"}}
            }
          }
        }
        """;

    internal const string RequestsAdvisory = """
        {
          "id": "PYSEC-2018-28", "modified": "2021-01-01T00:00:00Z", "aliases": ["CVE-2018-18074", "GHSA-x84v-xcm2-53pg"],
          "summary": "requests sends Authorization headers on redirect to http",
          "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
                        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.20.0"}]}]}],
          "database_specific": {"severity": "HIGH"}
        }
        """;

    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private AdvisoryDatabase _db = null!;
    private AdvisoryStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await AdvisoryDatabase.CreateAsync();
        _store = new AdvisoryStore(_db.Factory, _time);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Scan_MatchesOsAndLanguagePackages_WithLayerAndBaseImageRemediation()
    {
        await ImportAsync();

        var result = await new InventoryScanner(_store, _time).ScanAsync(Inventory(), CancellationToken.None);

        Assert.Equal("oci:/images/app:1", result.Target.Source);
        Assert.Equal("sha256:manifest", result.Target.ManifestDigest);
        Assert.Equal("linux/amd64", result.Target.Platform);
        Assert.Equal(new ScanOperatingSystem("debian", "12", "Debian GNU/Linux 12 (bookworm)", "Debian:12"), result.Target.OperatingSystem);
        Assert.Equal(6, result.PackageCount);
        Assert.Equal(5, result.CheckedPackageCount);
        Assert.False(result.Database.IsEmpty);
        Assert.False(result.Database.IsStale);
        Assert.Equal(5, result.Database.AdvisoryCount);

        Assert.Equal(
        [
            ("libc6", "CVE-2019-1010022"),
            ("libssl3", "CVE-2010-0928"),
            ("libssl3", "CVE-2023-5678"),
            ("requests", "CVE-2018-18074"),
        ], result.Findings.Select(f => (f.Package.Name, f.Finding.Id)));

        // From the base layer with a fix in the distribution: rebuild on a newer base image.
        var ssl = result.Findings.Single(f => f.Finding.Id == "CVE-2023-5678");
        Assert.Equal(0, ssl.Package.LayerIndex);
        Assert.Equal("sha256:layer0", ssl.Package.LayerDigest);
        Assert.Equal("sha256:diff0", ssl.Package.LayerDiffId);
        Assert.True(ssl.Package.InBaseImage);
        Assert.Equal("Debian:12", ssl.Package.Ecosystem);
        Assert.Equal("/var/lib/dpkg/status", ssl.Package.FoundIn);
        Assert.Equal(FixStatus.Fixed, ssl.Finding.Status);
        Assert.Equal(
            "rebuild on a newer base image (the distribution has the fix: upgrade to 3.0.13-1~deb12u1 (source package openssl): apt-get install --only-upgrade libssl3)",
            ssl.Remediation);

        var ignored = result.Findings.Single(f => f.Finding.Id == "CVE-2010-0928");
        Assert.Equal(FixStatus.WillNotFix, ignored.Finding.Status);
        Assert.Equal("no fix available (the distribution will not fix it in this release); the package comes from the base image", ignored.Remediation);

        // Installed in the application's own layer: the package manager's upgrade.
        var libc = result.Findings.Single(f => f.Package.Name == "libc6");
        Assert.False(libc.Package.InBaseImage);
        Assert.Equal(1, libc.Package.LayerIndex);
        Assert.Equal("no fix available (the distribution will not fix it in this release)", libc.Remediation);

        var requests = result.Findings.Single(f => f.Package.Name == "requests");
        Assert.Equal("/app/requirements.txt", requests.Package.FoundIn);
        Assert.Equal(SeverityRating.High, requests.Finding.Severity.Rating);
        Assert.Equal("upgrade to 2.20.0: pip install 'requests>=2.20.0'", requests.Remediation);
        Assert.Null(requests.Package.InBaseImage);

        // npm has no advisory in this database, hex no ecosystem at all: both said, neither silent.
        Assert.Equal(["npm"], result.Database.MissingEcosystems);
        Assert.Contains(result.Warnings, w => w.Kind == ScanWarningKind.EcosystemNotCovered && w.Message.Contains("no advisory for npm", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Kind == ScanWarningKind.UnsupportedPackageType && w.Message.Contains("1 package NOT checked", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Kind == ScanWarningKind.Analysis && w.Message == "rpm: no database");
        Assert.DoesNotContain(result.Warnings, w => w.Kind is ScanWarningKind.DatabaseEmpty or ScanWarningKind.DatabaseStale);
    }

    [Fact]
    public async Task Scan_EmptyDatabase_SaysSoFirst()
    {
        var result = await new InventoryScanner(_store, _time).ScanAsync(Inventory(), CancellationToken.None);

        Assert.True(result.Database.IsEmpty);
        Assert.True(result.Database.IsStale);
        Assert.Null(result.Database.UpdatedAt);
        Assert.Empty(result.Findings);
        var first = result.Warnings[0];
        Assert.Equal(ScanWarningKind.DatabaseEmpty, first.Kind);
        Assert.Contains("EMPTY", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_StaleDatabase_IsReportedWithItsAge()
    {
        await ImportAsync();
        _time.Advance(TimeSpan.FromDays(3));

        var result = await new InventoryScanner(_store, _time).ScanAsync(Inventory(), CancellationToken.None);

        Assert.True(result.Database.IsStale);
        Assert.Equal(Start, result.Database.UpdatedAt);
        Assert.Equal(TimeSpan.FromDays(3), result.Database.Age);
        var stale = Assert.Single(result.Warnings, w => w.Kind == ScanWarningKind.DatabaseStale);
        Assert.Contains("3 days ago (allowed: 24 hours)", stale.Message, StringComparison.Ordinal);
        Assert.NotEmpty(result.Findings);
    }

    [Fact]
    public async Task Scan_MaxAgeOption_DecidesStaleness()
    {
        await ImportAsync();
        _time.Advance(TimeSpan.FromDays(3));

        var result = await new InventoryScanner(_store, _time, new InventoryScannerOptions { MaxDatabaseAge = TimeSpan.FromDays(7) })
            .ScanAsync(Inventory(), CancellationToken.None);

        Assert.False(result.Database.IsStale);
    }

    [Fact]
    public async Task Scan_UnsupportedOperatingSystem_IsOneLoudWarningWithTheCount()
    {
        await ImportAsync();
        var inventory = Inventory() with
        {
            OperatingSystem = new OperatingSystemInfo { Id = "fedora", VersionId = "40" },
            Packages = [Rpm("bash", "5.2.26-3.fc40"), Rpm("glibc", "2.39-6.fc40")],
        };

        var result = await new InventoryScanner(_store, _time).ScanAsync(inventory, CancellationToken.None);

        Assert.Equal(0, result.CheckedPackageCount);
        var warning = Assert.Single(result.Warnings, w => w.Kind == ScanWarningKind.UnsupportedOperatingSystem);
        Assert.StartsWith("2 packages NOT checked for vulnerabilities: fedora 40 is not a supported distribution", warning.Message, StringComparison.Ordinal);
        Assert.Null(result.Target.OperatingSystem!.Ecosystem);
    }

    [Fact]
    public async Task Scan_UnparseableVersion_IsAMatchProblemWarning()
    {
        await ImportAsync();
        var inventory = Inventory() with { Packages = [Language("pypi", "requests", "not a version!", "/app/requirements.txt")] };

        var result = await new InventoryScanner(_store, _time).ScanAsync(inventory, CancellationToken.None);

        var problem = Assert.Single(result.Warnings, w => w.Kind == ScanWarningKind.MatchProblem);
        Assert.Contains("not a valid PyPI version", problem.Message, StringComparison.Ordinal);
        Assert.Equal("pkg:pypi/requests@not%20a%20version%21", problem.Package);
    }

    [Fact]
    public async Task ScanResult_RoundTripsThroughJson()
    {
        await ImportAsync();
        var result = await new InventoryScanner(_store, _time).ScanAsync(Inventory(), CancellationToken.None);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

        var copy = JsonSerializer.Deserialize<ScanResult>(JsonSerializer.Serialize(result, options), options)!;

        Assert.Equal(JsonSerializer.Serialize(result, options), JsonSerializer.Serialize(copy, options));
        Assert.Equal(result.Findings.Count, copy.Findings.Count);
    }

    private async Task ImportAsync()
    {
        var importer = new AdvisoryImporter(_store, new HttpClient(), new AdvisoryImportOptions { DownloadDirectory = Path.Combine(_db.Directory, "dl") });
        await importer.ImportDebianTrackerAsync("debian-tracker", await WriteAsync("debian.json", DebianTracker), null, CancellationToken.None);
        await importer.ImportOsvAsync("osv:PyPI", await WriteAsync("PYSEC-2018-28.json", RequestsAdvisory), null, CancellationToken.None);
    }

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(_db.Directory, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    internal static ImageInventory Inventory() => new()
    {
        Source = "oci:/images/app:1",
        ManifestDigest = "sha256:manifest",
        Platform = new Oci.Platform { Os = "linux", Architecture = "amd64" },
        OperatingSystem = new OperatingSystemInfo { Id = "debian", VersionId = "12", PrettyName = "Debian GNU/Linux 12 (bookworm)", Codename = "bookworm" },
        Layers =
        [
            new LayerInfo { Index = 0, Digest = "sha256:layer0", DiffId = "sha256:diff0", InBaseImage = true },
            new LayerInfo { Index = 1, Digest = "sha256:layer1", DiffId = "sha256:diff1", InBaseImage = false },
        ],
        Packages =
        [
            Deb("libssl3", "3.0.11-1~deb12u2", "openssl", 0),
            Deb("libc6", "2.36-9+deb12u4", "glibc", 1),
            Deb("bash", "5.2.15-2+b7", "bash", 0),
            Language("pypi", "requests", "2.18.0", "/app/requirements.txt"),
            Language("npm", "lodash", "4.17.20", "/app/package-lock.json"),
            Language("hex", "phoenix", "1.7.0", "/app/mix.lock"),
        ],
        Files = [],
        Warnings = ["rpm: no database"],
    };

    private static Package Deb(string name, string version, string source, int layer) => new()
    {
        Type = PackageTypes.Deb,
        Name = name,
        Version = version,
        SourceName = source,
        SourceVersion = version,
        LayerIndex = layer,
        LayerDigest = "sha256:diff" + layer,
        FoundIn = "/var/lib/dpkg/status",
        Purl = PackageUrl.Create("deb", "debian", name, version),
    };

    private static Package Rpm(string name, string version) => new()
    {
        Type = PackageTypes.Rpm,
        Name = name,
        Version = version,
        FoundIn = "/usr/lib/sysimage/rpm/rpmdb.sqlite",
        Purl = PackageUrl.Create("rpm", "fedora", name, version),
    };

    private static Package Language(string type, string name, string version, string foundIn) => new()
    {
        Type = type,
        Name = name,
        Version = version,
        FoundIn = foundIn,
        Purl = PackageUrl.Create(type, null, name, version),
    };
}
