using System.Text.Json.Nodes;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Reports;
using Bulwark.Vulnerabilities.Scanning;
using Bulwark.Vulnerabilities.Severity;
using Bulwark.Vulnerabilities.Tests.Advisories;
using Json.Schema;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Vulnerabilities.Tests.Scanning;

public sealed class ReportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Start.UtcDateTime);
    // The official schema is draft-04, which JsonSchema.Net does not implement. It uses no keyword whose meaning
    // changed after draft-04 (no exclusiveMinimum/Maximum) and no "id"-based reference, so it is read as draft-07.
    private static readonly Lazy<JsonSchema> Sarif = new(() =>
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedData.Directory, "schemas", "sarif", "sarif-schema-2.1.0.json")))!.AsObject();
        Assert.Equal("http://json-schema.org/draft-04/schema#", (string)node["$schema"]!);
        node["$schema"] = "http://json-schema.org/draft-07/schema#";
        node.Remove("id");
        return JsonSchema.FromText(node.ToJsonString());
    });

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
    public async Task Sarif_IsValidAgainstTheSchema_WithGitHubProperties()
    {
        var report = ScanReport.Create(await ScanAsync(), ScanReportFilter.None, Today);

        var sarif = await SarifAsync(report);

        var run = sarif["runs"]![0]!;
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray();
        Assert.Equal(["CVE-2010-0928", "CVE-2018-18074", "CVE-2019-1010022", "CVE-2023-5678"], rules.Select(r => (string)r!["id"]!));
        var requests = rules.Single(r => (string)r!["id"]! == "CVE-2018-18074")!;
        Assert.Equal("8.0", (string)requests["properties"]!["security-severity"]!);
        Assert.Equal("https://osv.dev/vulnerability/CVE-2018-18074", (string)requests["helpUri"]!);
        Assert.Equal("https://security-tracker.debian.org/tracker/CVE-2023-5678", (string)rules.Single(r => (string)r!["id"]! == "CVE-2023-5678")!["helpUri"]!);

        var results = run["results"]!.AsArray();
        Assert.Equal(4, results.Count);
        var result = results.Single(r => (string)r!["ruleId"]! == "CVE-2018-18074")!;
        Assert.Equal("error", (string)result["level"]!);
        Assert.Equal("app/requirements.txt", (string)result["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!);
        Assert.Equal(32, ((string)result["partialFingerprints"]![SarifReportWriter.FingerprintKey]!).Length);
        Assert.Equal("var/lib/dpkg/status", (string)results.First(r => (string)r!["ruleId"]! == "CVE-2023-5678")!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!);
    }

    [Fact]
    public async Task EmptyDatabase_IsLoudInEveryFormat()
    {
        var report = ScanReport.Create(await ScanAsync(import: false), ScanReportFilter.None, Today);

        var sarif = await SarifAsync(report);
        var notification = sarif["runs"]![0]!["invocations"]![0]!["toolExecutionNotifications"]![0]!;
        Assert.Equal("error", (string)notification["level"]!);
        Assert.Equal("database_empty", (string)notification["descriptor"]!["id"]!);

        var json = await JsonAsync(report);
        Assert.True((bool)json["database"]!["empty"]!);
        Assert.Equal("database_empty", (string)json["warnings"]![0]!["kind"]!);

        var table = await TableAsync(report);
        Assert.StartsWith(new string('!', 78) + "\n!! The advisory database is EMPTY", table.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("No findings — because the advisory database is EMPTY", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaleDatabase_IsLoudInEveryFormat()
    {
        var scan = await ScanAsync(advance: TimeSpan.FromDays(2));
        var report = ScanReport.Create(scan, ScanReportFilter.None, Today);

        var sarif = await SarifAsync(report);
        var notification = sarif["runs"]![0]!["invocations"]![0]!["toolExecutionNotifications"]![0]!;
        Assert.Equal("database_stale", (string)notification["descriptor"]!["id"]!);
        Assert.Equal("warning", (string)notification["level"]!);

        var json = await JsonAsync(report);
        Assert.True((bool)json["database"]!["stale"]!);
        Assert.Equal(172800, (long)json["database"]!["ageSeconds"]!);

        Assert.Contains("!! The advisory database is STALE", await TableAsync(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_HasTheDocumentedShape()
    {
        var report = ScanReport.Create(await ScanAsync(), ScanReportFilter.None, Today, "1.2.3");

        var json = await JsonAsync(report);

        Assert.Equal(JsonReportWriter.SchemaVersion, (int)json["schemaVersion"]!);
        Assert.Equal("1.2.3", (string)json["tool"]!["version"]!);
        Assert.Equal("Debian:12", (string)json["artifact"]!["os"]!["ecosystem"]!);
        Assert.Equal(4, (int)json["summary"]!["findings"]!);
        Assert.Equal(1, (int)json["summary"]!["bySeverity"]!["HIGH"]!);
        var results = json["results"]!.AsArray();
        Assert.Equal(["/var/lib/dpkg/status", "/app/requirements.txt"], results.Select(r => (string)r!["target"]!));
        Assert.Equal(["os-packages", "language-packages"], results.Select(r => (string)r!["class"]!));
        var ssl = results[0]!["findings"]!.AsArray().Single(f => (string)f!["id"]! == "CVE-2023-5678")!;
        Assert.Equal("fixed", (string)ssl["status"]!);
        Assert.Equal(["3.0.13-1~deb12u1"], ssl["fixedVersions"]!.AsArray().Select(v => (string)v!));
        Assert.StartsWith("rebuild on a newer base image", (string)ssl["remediation"]!, StringComparison.Ordinal);
        Assert.True((bool)ssl["package"]!["layer"]!["inBaseImage"]!);
        Assert.Equal("sha256:layer0", (string)ssl["package"]!["layer"]!["digest"]!);
    }

    [Fact]
    public async Task Filters_SeverityUnfixedAndIgnores_AreAppliedAndReported()
    {
        var scan = await ScanAsync();
        var rules = IgnoreFile.Parse("""
            - id: CVE-2023-5678
              reason: the DH check is not reachable in this service
              expires: 2026-12-31
            - id: GHSA-x84v-xcm2-53pg
              package: requests
              reason: expired exception
              expires: 2026-10-31
            """);

        var unfixed = ScanReport.Create(scan, new ScanReportFilter { IgnoreUnfixed = true }, Today);
        Assert.Equal(["CVE-2018-18074", "CVE-2023-5678"], unfixed.Findings.Select(f => f.Finding.Id).Order());

        var high = ScanReport.Create(scan, new ScanReportFilter { Severities = ScanReportFilter.ParseSeverities("high,critical") }, Today);
        Assert.Equal(["CVE-2018-18074"], high.Findings.Select(f => f.Finding.Id));

        var ignored = ScanReport.Create(scan, new ScanReportFilter { Ignores = rules }, Today);
        Assert.DoesNotContain(ignored.Findings, f => f.Finding.Id == "CVE-2023-5678");
        var (finding, rule) = Assert.Single(ignored.Ignored);
        Assert.Equal("CVE-2023-5678", finding.Finding.Id);
        Assert.Equal(1, rule.Line);

        // The second entry names an alias of the requests finding, but it expired yesterday: the finding stays, the entry is reported.
        Assert.Contains(ignored.Findings, f => f.Finding.Id == "CVE-2018-18074");
        Assert.Equal(4, Assert.Single(ignored.ExpiredIgnores).Line);
        Assert.Contains("EXPIRED ignore entry (line 4)", await TableAsync(ignored), StringComparison.Ordinal);
        Assert.Equal(4, (int)(await JsonAsync(ignored))["expiredIgnores"]![0]!["line"]!);

        // On its last day an entry still applies.
        var lastDay = ScanReport.Create(scan, new ScanReportFilter { Ignores = rules }, new DateOnly(2026, 10, 31));
        Assert.Empty(lastDay.ExpiredIgnores);
        Assert.Equal(2, lastDay.Ignored.Count);
    }

    [Theory]
    [InlineData("id: CVE-1\nreason: x\n", "1: the file must be a YAML list")]
    [InlineData("- id: CVE-1\n", "1: the entry for CVE-1 has no 'reason'")]
    [InlineData("- reason: because\n", "1: the entry has no 'id'")]
    [InlineData("- id: CVE-1\n  reason: r\n- id: CVE-2\n  reason: r\n  expires: next week\n", "3: 'expires' of CVE-2 must be a date YYYY-MM-DD")]
    [InlineData("- id: CVE-1\n  reason: r\n  severity: low\n", "3: unknown key 'severity'")]
    [InlineData("- id: CVE-1\n  reason: [a, b]\n", "2: 'reason' must be a non-empty text")]
    [InlineData("- id: CVE-1\n  reason: \"unterminated\n", "not valid YAML")]
    public void IgnoreFile_Malformed_NamesTheLine(string text, string message)
    {
        var e = Assert.Throws<IgnoreFileException>(() => IgnoreFile.Parse(text));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IgnoreFile_Empty_IsNoRules() => Assert.Empty(IgnoreFile.Parse("# nothing ignored\n"));

    [Theory]
    [InlineData("CRITICAL", 9.8, "9.8")]
    [InlineData("HIGH", 9.8, "8.0")]
    [InlineData("LOW", null, "2.0")]
    [InlineData("UNKNOWN", null, "0.0")]
    public void SecuritySeverity_FollowsTheRatingBand(string rating, double? cvss, string expected) =>
        Assert.Equal(expected, SarifReportWriter.SecuritySeverity(Enum.Parse<SeverityRating>(rating, ignoreCase: true), cvss));

    private async Task<ScanResult> ScanAsync(bool import = true, TimeSpan advance = default)
    {
        if (import)
        {
            var importer = new AdvisoryImporter(_store, new HttpClient(), new AdvisoryImportOptions { DownloadDirectory = Path.Combine(_db.Directory, "dl") });
            var tracker = Path.Combine(_db.Directory, "debian.json");
            await File.WriteAllTextAsync(tracker, InventoryScannerTests.DebianTracker);
            await importer.ImportDebianTrackerAsync("debian-tracker", tracker, null, CancellationToken.None);
            var osv = Path.Combine(_db.Directory, "PYSEC-2018-28.json");
            await File.WriteAllTextAsync(osv, InventoryScannerTests.RequestsAdvisory);
            await importer.ImportOsvAsync("osv:PyPI", osv, null, CancellationToken.None);
        }

        _time.Advance(advance);
        return await new InventoryScanner(_store, _time).ScanAsync(InventoryScannerTests.Inventory(), CancellationToken.None);
    }

    private static async Task<JsonNode> SarifAsync(ScanReport report)
    {
        using var stream = new MemoryStream();
        await SarifReportWriter.WriteAsync(report, stream, CancellationToken.None);
        var node = JsonNode.Parse(stream.ToArray())!;
        var evaluation = Sarif.Value.Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(evaluation.IsValid, string.Join("\n", evaluation.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        return node;
    }

    private static async Task<JsonNode> JsonAsync(ScanReport report)
    {
        using var stream = new MemoryStream();
        await JsonReportWriter.WriteAsync(report, stream, CancellationToken.None);
        return JsonNode.Parse(stream.ToArray())!;
    }

    private static async Task<string> TableAsync(ScanReport report)
    {
        var writer = new StringWriter();
        await TableReportWriter.WriteAsync(report, writer, color: false, CancellationToken.None);
        return writer.ToString();
    }
}
