using System.Text.Json.Nodes;
using Bulwark.Interop.Tests.Infrastructure;
using Bulwark.Tests.Shared;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>
/// <c>bulwark db update</c> from the three shared OSV archives (golang/vulndb, PyPA, RustSec) served over HTTP on
/// 127.0.0.1, then <c>bulwark scan</c> of the image of real artifacts (<see cref="RealArtifactsImage"/>) and of a
/// directory with a Cargo.lock. Every advisory id asserted here was checked by reading the advisory in
/// <c>../shared/data/osv/</c>: its ranges cover the version the artifact carries.
/// </summary>
public sealed class RealArtifactsScanTests(RealArtifactsScanTests.SharedDatabase shared) : IClassFixture<RealArtifactsScanTests.SharedDatabase>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-real-scan").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task DbUpdate_ThreeArchivesOverHttp_StoresEveryAdvisory()
    {
        var status = JsonNode.Parse((await BulwarkExecutable.RunAsync(["db", "status", "--db", shared.Db, "--format", "json"], CancellationToken.None))
            .AssertSucceeded().StandardOutput)!;

        var sources = status["sources"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => s!);
        Assert.Equal(["osv:Go", "osv:PyPI", "osv:crates.io"], sources.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(4291, (int)sources["osv:Go"]["advisories"]!);
        Assert.Equal(2661, (int)sources["osv:PyPI"]["advisories"]!);
        Assert.Equal(1206, (int)sources["osv:crates.io"]["advisories"]!);
        Assert.Equal(shared.Server.Url + "Go.zip", (string)sources["osv:Go"]["url"]!);
        Assert.Equal(4291 + 2661 + 1206, (int)status["advisories"]!);
        Assert.False((bool)status["empty"]!);
    }

    [Fact]
    public async Task Scan_GoBinaries_ReportTheStdlibAdvisoriesOfTheirToolchain()
    {
        var report = await shared.ImageReportAsync();
        var image = await RealArtifactsImage.GetAsync();

        foreach (var binary in await RealArtifactsGroundTruth.GoBinariesAsync(image, RealArtifactsImage.GoLayer))
        {
            var stdlib = Findings(report, binary.Path).Where(f => (string)f["package"]!["name"]! == "stdlib").ToList();
            Assert.Equal("go1.19.8", binary.GoVersion); // what `go version -m` reads from Debian 12's age
            Assert.All(stdlib, f => Assert.Equal("1.19.8", (string)f["installedVersion"]!));
            Assert.All(stdlib, f => Assert.Equal(RealArtifactsImage.GoLayer, (int)f["package"]!["layer"]!["index"]!));

            // html/template CSS sanitization (fixed in 1.19.9) and the net/http Host header (fixed in 1.19.11).
            var css = Assert.Single(stdlib, f => Ids(f).Contains("GO-2023-1751"));
            Assert.Equal(("CVE-2023-24539", "1.19.9"), ((string)css["id"]!, (string)css["fixedVersions"]![0]!));
            var host = Assert.Single(stdlib, f => Ids(f).Contains("GO-2023-1878"));
            Assert.Equal(("CVE-2023-29406", "1.19.11"), ((string)host["id"]!, (string)host["fixedVersions"]![0]!));
            // 80 golang/vulndb advisories cover stdlib 1.19.8 (counted independently from the archive's ranges).
            Assert.Equal(80, stdlib.Count);
        }
    }

    [Fact]
    public async Task Scan_GoModuleBinary_ReportsTheModuleAdvisories()
    {
        var report = await shared.ImageReportAsync();

        var findings = Findings(report, "/" + RealArtifactsImage.GoModuleBinary);
        var xnet = findings.Where(f => (string)f["package"]!["name"]! == "golang.org/x/net").ToList();
        Assert.All(xnet, f => Assert.Equal("0.7.0", (string)f["installedVersion"]!));
        Assert.All(xnet, f => Assert.Equal(RealArtifactsImage.GoModuleLayer, (int)f["package"]!["layer"]!["index"]!));
        var html = Assert.Single(xnet, f => Ids(f).Contains("GO-2023-1988")); // x/net/html text node rendering
        Assert.Equal(["CVE-2023-3978", "GHSA-2wrh-6pvc-2jm9", "GO-2023-1988"], Ids(html).Order(StringComparer.Ordinal));
        Assert.Equal("0.13.0", (string)html["fixedVersions"]![0]!);
        // HTTP/2 rapid reset: one advisory naming both the module and stdlib, reported for each.
        Assert.Contains(xnet, f => Ids(f).Contains("GO-2023-2102") && Ids(f).Contains("CVE-2023-39325"));
        Assert.Contains(findings, f => (string)f["package"]!["name"]! == "stdlib" && Ids(f).Contains("GO-2023-2102"));
        // 16 golang/vulndb advisories cover golang.org/x/net v0.7.0 (counted independently); the main module, whose
        // version is "(devel)", matches nothing and raises no problem.
        Assert.Equal(16, xnet.Count);
        Assert.DoesNotContain(findings, f => (string)f["package"]!["name"]! == "example.com/htmltitle");
        Assert.DoesNotContain(report["warnings"]!.AsArray(), w => (string)w!["kind"]! == "match_problem");
    }

    [Fact]
    public async Task Scan_DebianPythonPackages_ReportThePyPAAdvisories()
    {
        var report = await shared.ImageReportAsync();
        const string Site = "/usr/lib/python3/dist-packages/";

        // urllib3 1.26.12: CVE-2023-43804 (Cookie header on cross-origin redirects) and CVE-2023-45803 (body kept on 303).
        Assert.Equal(["PYSEC-2023-192", "PYSEC-2023-212"], PysecIds(report, Site + "urllib3-1.26.12.egg-info/PKG-INFO"));
        var cookie = Assert.Single(Findings(report, Site + "urllib3-1.26.12.egg-info/PKG-INFO"), f => Ids(f).Contains("PYSEC-2023-192"));
        Assert.Equal(("CVE-2023-43804", "1.26.12", "1.26.17"), ((string)cookie["id"]!, (string)cookie["installedVersion"]!, (string)cookie["fixedVersions"]![0]!));
        Assert.Equal(RealArtifactsImage.PythonLayer, (int)cookie["package"]!["layer"]!["index"]!);
        Assert.Equal("pkg:pypi/urllib3@1.26.12", (string)cookie["package"]!["purl"]!);

        // idna 3.3: CVE-2024-3651 (quadratic encode), fixed in 3.7.
        Assert.Equal(["PYSEC-2024-60"], PysecIds(report, Site + "idna-3.3.egg-info/PKG-INFO"));
        // cryptography 38.0.4 (dist-info): CVE-2023-23931 (fixed 39.0.1) and CVE-2023-49083 (fixed 41.0.6).
        Assert.Equal(["PYSEC-2023-11", "PYSEC-2023-254"], PysecIds(report, Site + "cryptography-38.0.4.dist-info/METADATA"));
        // Jinja2 3.1.2: the PyPA database has nothing that affects it (its last fix is 2.11.3) — no false positive.
        Assert.Empty(Findings(report, Site + "Jinja2-3.1.2.egg-info/PKG-INFO"));

        // npm and NuGet packages are in the inventory, but the shared data has no advisory for them: said loudly.
        var uncovered = report["warnings"]!.AsArray().Where(w => (string)w!["kind"]! == "ecosystem_not_covered").Select(w => (string)w!["message"]!).ToList();
        Assert.Contains(uncovered, m => m.Contains("for npm", StringComparison.Ordinal));
        Assert.Contains(uncovered, m => m.Contains("for NuGet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scan_Gate_FailsOnFindings_AndPassesWhenTheSeverityFilterExcludesThem()
    {
        var source = (await RealArtifactsImage.GetAsync()).Source;

        var gated = await BulwarkExecutable.RunAsync(["scan", source, "--db", shared.Db, "--skip-db-update", "--exit-code", "1"], CancellationToken.None);
        Assert.Equal(1, gated.ExitCode);
        Assert.Contains("CVE-2023-3978", gated.StandardOutput, StringComparison.Ordinal); // GO-2023-1988, listed by its CVE

        // golang/vulndb gives no severity and the PyPA findings here are HIGH or MEDIUM: nothing is CRITICAL.
        var critical = await BulwarkExecutable.RunAsync(["scan", source, "--db", shared.Db, "--skip-db-update", "--severity", "CRITICAL", "--exit-code", "1"],
            CancellationToken.None);
        Assert.Equal(0, critical.ExitCode);

        var high = await BulwarkExecutable.RunAsync(["scan", source, "--db", shared.Db, "--skip-db-update", "--severity", "HIGH", "--format", "json", "--exit-code", "1"],
            CancellationToken.None);
        Assert.Equal(1, high.ExitCode);
        var findings = JsonNode.Parse(high.StandardOutput)!["results"]!.AsArray().SelectMany(r => r!["findings"]!.AsArray()).ToList();
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Equal("HIGH", (string)f!["severity"]!));
        Assert.Contains(findings, f => Ids(f!).Contains("PYSEC-2024-60"));
    }

    [Fact]
    public async Task Scan_Sarif_IsValidAgainstTheSchema_WithOneResultPerFinding()
    {
        var json = await shared.ImageReportAsync();
        var source = (await RealArtifactsImage.GetAsync()).Source;

        var result = await BulwarkExecutable.RunAsync(["scan", source, "--db", shared.Db, "--skip-db-update", "--format", "sarif"], CancellationToken.None);

        var sarif = JsonNode.Parse(result.AssertSucceeded().StandardOutput)!;
        Assert.Empty(OfficialSchemas.ValidateSarif(sarif.ToJsonString()));
        var run = sarif["runs"]![0]!;
        var results = run["results"]!.AsArray();
        // One result per vulnerability finding, secret and configuration finding (the JSON report's three counts).
        var summary = json["summary"]!;
        Assert.Equal((int)summary["findings"]! + (int)summary["secrets"]! + (int)summary["configuration"]!, results.Count);
        var imageRules = run["tool"]!["driver"]!["rules"]!.AsArray()
            .Where(r => r!["properties"]!["tags"]!.AsArray().Any(t => (string)t! is "secret" or "configuration"))
            .Select(r => (string)r!["id"]!).ToHashSet(StringComparer.Ordinal);
        Assert.Equal((int)summary["findings"]!, results.Count(r => !imageRules.Contains((string)r!["ruleId"]!)));
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray().Select(r => (string)r!["id"]!).ToList();
        Assert.Equal(rules.Count, rules.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(results, r => (string)r!["ruleId"]! == "CVE-2023-3978"
            && (string)r["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]! == RealArtifactsImage.GoModuleBinary);
    }

    [Fact]
    public async Task Scan_SourceDirectoryWithCargoLock_ReportsRustSecAdvisories()
    {
        var project = Directory.CreateDirectory(Path.Combine(_dir, "crate")).FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "Cargo.lock"), CargoLock);

        var result = await BulwarkExecutable.RunAsync(["scan", project, "--db", shared.Db, "--skip-db-update", "--format", "json", "--exit-code", "1"],
            CancellationToken.None);

        Assert.Equal(1, result.ExitCode);
        var report = JsonNode.Parse(result.StandardOutput)!;
        var findings = Findings(report, "Cargo.lock");
        Assert.Equal(3, (int)report["summary"]!["checkedPackages"]!); // libc, regex, time: the root crate is the project itself
        // time 0.1.43: RUSTSEC-2020-0071 (segfault in localtime_r), CVSS 6.2; regex 1.5.4: RUSTSEC-2022-0013, CVSS 7.5.
        var time = Assert.Single(findings, f => (string)f["package"]!["name"]! == "time");
        Assert.Equal(["CVE-2020-26235", "GHSA-wcg3-cvx6-7396", "RUSTSEC-2020-0071"], Ids(time).Order(StringComparer.Ordinal));
        // The advisory lists a fix per 0.2.x release up to 0.2.23; the first one above 0.1.43 is the upgrade.
        Assert.Equal(("0.1.43", "0.2.0", "MEDIUM"), ((string)time["installedVersion"]!, (string)time["fixedVersions"]![0]!, (string)time["severity"]!));
        var regex = Assert.Single(findings, f => (string)f["package"]!["name"]! == "regex");
        Assert.Contains("RUSTSEC-2022-0013", Ids(regex));
        Assert.Equal(("1.5.5", "HIGH"), ((string)regex["fixedVersions"]![0]!, (string)regex["severity"]!));
        Assert.Equal("pkg:cargo/regex@1.5.4", (string)regex["package"]!["purl"]!);
        Assert.DoesNotContain(findings, f => (string)f["package"]!["name"]! is "libc" or "crate-demo");
    }

    [Fact]
    public async Task DbUpdate_TruncatedDownload_FailsClearly_AndKeepsTheOldDatabase()
    {
        var db = Path.Combine(_dir, "truncated.db");
        var url = shared.Server.Url + "crates.io.zip";
        (await BulwarkExecutable.RunAsync(["db", "update", "--db", db, "--source", url], CancellationToken.None)).AssertSucceeded();

        // The server announces the whole archive and closes the connection after half of it.
        using var truncating = new OsvArchiveServer { Truncate = true, ETag = "\"v2\"" };
        truncating.Put("crates.io.zip", await File.ReadAllBytesAsync(SharedOsv("crates.io")));
        var cut = await BulwarkExecutable.RunAsync(["db", "update", "--db", db, "--source", truncating.Url + "crates.io.zip"], CancellationToken.None);

        Assert.Equal(1, cut.ExitCode);
        Assert.Contains("FAILED osv:crates.io", cut.StandardError, StringComparison.Ordinal);
        Assert.Contains("was cut off after", cut.StandardError, StringComparison.Ordinal);
        Assert.Contains("was not changed", cut.StandardError, StringComparison.Ordinal);
        var status = JsonNode.Parse((await BulwarkExecutable.RunAsync(["db", "status", "--db", db, "--format", "json"], CancellationToken.None))
            .AssertSucceeded().StandardOutput)!;
        var source = Assert.Single(status["sources"]!.AsArray());
        Assert.Equal(1206, (int)source!["advisories"]!);
        Assert.Equal(url, (string)source["url"]!); // the old import, not a half-done new one

        // The next attempt gets the whole file (this server offers no ranges, so the partial download is started over).
        truncating.Truncate = false;
        (await BulwarkExecutable.RunAsync(["db", "update", "--db", db, "--source", truncating.Url + "crates.io.zip"], CancellationToken.None)).AssertSucceeded();
        var after = JsonNode.Parse((await BulwarkExecutable.RunAsync(["db", "status", "--db", db, "--format", "json"], CancellationToken.None))
            .AssertSucceeded().StandardOutput)!;
        Assert.Equal(1206, (int)after["advisories"]!);
    }

    /// <summary>Cargo's lock file format, version 3, as <c>cargo generate-lockfile</c> writes it (crates.io is not reachable here to run it).</summary>
    private const string CargoLock = """
        # This file is automatically @generated by Cargo.
        # It is not intended for manual editing.
        version = 3

        [[package]]
        name = "crate-demo"
        version = "0.1.0"
        dependencies = [
         "libc",
         "regex",
         "time",
        ]

        [[package]]
        name = "libc"
        version = "0.2.139"
        source = "registry+https://github.com/rust-lang/crates.io-index"

        [[package]]
        name = "regex"
        version = "1.5.4"
        source = "registry+https://github.com/rust-lang/crates.io-index"

        [[package]]
        name = "time"
        version = "0.1.43"
        source = "registry+https://github.com/rust-lang/crates.io-index"
        dependencies = [
         "libc",
        ]

        """;


    private static List<JsonNode> Findings(JsonNode report, string target) =>
        [.. report["results"]!.AsArray().Where(r => (string)r!["target"]! == target).SelectMany(r => r!["findings"]!.AsArray()).Select(f => f!)];

    private static List<string> Ids(JsonNode finding) => [.. finding["ids"]!.AsArray().Select(i => (string)i!)];

    private static List<string> PysecIds(JsonNode report, string target) =>
        [.. Findings(report, target).SelectMany(Ids).Where(i => i.StartsWith("PYSEC-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static string SharedOsv(string ecosystem) => Path.Combine(RepositoryRoot.Path, "..", "shared", "data", "osv", ecosystem + ".zip");

    /// <summary>
    /// The three shared archives served on 127.0.0.1 and imported once through <c>bulwark db update --source URL</c>
    /// (the real download path), and the JSON report of the image scanned against them.
    /// </summary>
    public sealed class SharedDatabase : IAsyncLifetime
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-real-db").FullName;
        private Task<JsonNode>? _report;

        internal OsvArchiveServer Server { get; } = new();

        public string Db => Path.Combine(_dir, "advisories.db");

        public async Task InitializeAsync()
        {
            foreach (var ecosystem in (string[])["Go", "PyPI", "crates.io"])
            {
                Server.Put(ecosystem + ".zip", await File.ReadAllBytesAsync(SharedOsv(ecosystem)));
            }

            (await ToolProcess.RunAsync("dotnet", [BulwarkExecutable.AssemblyPath, "db", "update", "--db", Db,
                "--source", Server.Url + "Go.zip", "--source", Server.Url + "PyPI.zip", "--source", Server.Url + "crates.io.zip"],
                CancellationToken.None, TimeSpan.FromMinutes(10))).AssertSucceeded();
        }

        /// <summary>The image's <c>scan --format json</c> report, run once for the tests that read it.</summary>
        internal Task<JsonNode> ImageReportAsync() => _report ??= ScanImageAsync();

        public Task DisposeAsync()
        {
            Server.Dispose();
            Directory.Delete(_dir, recursive: true);
            return Task.CompletedTask;
        }

        private async Task<JsonNode> ScanImageAsync()
        {
            var image = await RealArtifactsImage.GetAsync();
            var result = await BulwarkExecutable.RunAsync(["scan", image.Source, "--db", Db, "--skip-db-update", "--format", "json"], CancellationToken.None);
            return JsonNode.Parse(result.AssertSucceeded().StandardOutput)!;
        }
    }
}
