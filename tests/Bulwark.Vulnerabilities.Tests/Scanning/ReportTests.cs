using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Analysis.Configuration;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Sbom;
using Bulwark.Analysis.Secrets;
using Bulwark.Tests.Shared;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Reports;
using Bulwark.Vulnerabilities.Scanning;
using Bulwark.Vulnerabilities.Severity;
using Bulwark.Vulnerabilities.Tests.Advisories;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Vulnerabilities.Tests.Scanning;

public sealed class ReportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Start.UtcDateTime);

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
    public void SarifSchema_RejectsADocumentOutsideTheFormat()
    {
        // The validator every SARIF test relies on is not vacuous: a wrong version and a result without a message fail.
        var errors = OfficialSchemas.ValidateSarif("""{"version":"2.0.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"r"}]}]}""");

        Assert.Contains(errors, e => e.Contains("/version", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("/runs/0/results/0", StringComparison.Ordinal));
    }

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

    [Fact]
    public async Task Configuration_AppearsInJson_WithRuleSeverityPlaceAndRemediation()
    {
        var report = ScanReport.Create(await ScanAsync(inventory: WithImageFindings()), ScanReportFilter.None, Today);

        var json = await JsonAsync(report);

        Assert.Equal(4, (int)json["summary"]!["configuration"]!);
        Assert.Equal(1, (int)json["summary"]!["secrets"]!);
        var configuration = json["configuration"]!.AsArray();
        Assert.Equal(["BWK-CFG-001", "BWK-CFG-004", "BWK-CFG-007", "BWK-CFG-008"], configuration.Select(c => (string)c!["ruleId"]!).Order());
        var root = configuration.Single(c => (string)c!["ruleId"]! == "BWK-CFG-001")!;
        Assert.Equal("HIGH", (string)root["severity"]!);
        Assert.Equal("Image runs as root", (string)root["title"]!);
        Assert.Equal("config.User", (string)root["location"]!);
        Assert.Null(root["path"]);
        Assert.Null(root["layerIndex"]);
        Assert.Equal("CWE-250", (string)root["cwe"]!);
        Assert.Contains("USER", (string)root["remediation"]!, StringComparison.Ordinal);
        var setuid = configuration.Single(c => (string)c!["ruleId"]! == "BWK-CFG-007")!;
        Assert.Equal("/usr/local/bin/helper", (string)setuid["path"]!);
        Assert.Equal(1, (int)setuid["layerIndex"]!);
        Assert.Equal("sha256:layer1", (string)setuid["layerDigest"]!);
        Assert.Equal("/usr/local/bin/helper has mode 4755 (uid 0, gid 0).", (string)setuid["message"]!);
        Assert.StartsWith("Rotate the credential", (string)json["secrets"]![0]!["remediation"]!, StringComparison.Ordinal);
        Assert.Empty(json["ignoredConfiguration"]!.AsArray());
    }

    [Fact]
    public async Task Configuration_AppearsInTheTable_AsItsOwnSection()
    {
        var report = ScanReport.Create(await ScanAsync(inventory: WithImageFindings()), ScanReportFilter.None, Today);

        var table = (await TableAsync(report)).Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.Contains("oci:/images/app:1 (Configuration)\nTotal: 4 (CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 1)", table, StringComparison.Ordinal);
        Assert.Matches(@"BWK-CFG-001\s+HIGH\s+Image runs as root\s+config.User", table);
        Assert.Matches(@"BWK-CFG-007\s+MEDIUM\s+Setuid or setgid file\s+/usr/local/bin/helper\s+1", table);
        Assert.Contains("    BWK-CFG-008: Remove write permission for others (`chmod o-w`).", table, StringComparison.Ordinal);
        Assert.EndsWith("secrets: 1; configuration: 4\n", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sarif_HasOneRulePerConfigCheckAndSecretRule_LocatedAsGitHubAccepts()
    {
        var report = ScanReport.Create(await ScanAsync(inventory: WithImageFindings()), ScanReportFilter.None, Today);

        var sarif = await SarifAsync(report);

        var run = sarif["runs"]![0]!;
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray();
        var ids = rules.Select(r => (string)r!["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(["BWK-CFG-001", "BWK-CFG-004", "BWK-CFG-007", "BWK-CFG-008", "aws-access-key-id"], ids.Skip(4));
        var root = rules.Single(r => (string)r!["id"]! == "BWK-CFG-001")!;
        Assert.Equal("BWK-CFG-001: Image runs as root", (string)root["shortDescription"]!["text"]!);
        Assert.Contains("Remediation: Create an unprivileged user", (string)root["help"]!["text"]!, StringComparison.Ordinal);
        Assert.Equal("8.0", (string)root["properties"]!["security-severity"]!);
        Assert.Equal(["security", "configuration", "HIGH", "external/cwe/cwe-250"], root["properties"]!["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("https://cwe.mitre.org/data/definitions/250.html", (string)root["helpUri"]!);
        var secretRule = rules.Single(r => (string)r!["id"]! == "aws-access-key-id")!;
        Assert.Equal("9.5", (string)secretRule["properties"]!["security-severity"]!);
        Assert.Contains("external/cwe/cwe-798", secretRule["properties"]!["tags"]!.AsArray().Select(t => (string)t!));

        var results = run["results"]!.AsArray();
        Assert.Equal(4 + 4 + 1, results.Count);
        foreach (var result in results)
        {
            // ruleIndex points at the rule of the same id.
            Assert.Equal((string)result!["ruleId"]!, (string)rules[(int)result["ruleIndex"]!]!["id"]!);
        }

        static string Uri(JsonNode result) => (string)result["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!;
        var user = results.Single(r => (string)r!["ruleId"]! == "BWK-CFG-001")!;
        Assert.Equal("error", (string)user["level"]!);
        Assert.Equal(SarifReportWriter.ConfigArtifactUri, Uri(user));
        Assert.Equal("config.User", (string)user["locations"]![0]!["logicalLocations"]![0]!["name"]!);
        Assert.Equal("usr/local/bin/helper", Uri(results.Single(r => (string)r!["ruleId"]! == "BWK-CFG-007")!));
        var secret = results.Single(r => (string)r!["ruleId"]! == "aws-access-key-id")!;
        Assert.Equal("opt/app/settings.env", Uri(secret));
        Assert.Equal(2, (int)secret["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!);
        Assert.Equal(32, ((string)secret["partialFingerprints"]![SarifReportWriter.FingerprintKey]!).Length);
    }

    [Fact]
    public async Task Gate_CountsConfigurationAndSecrets_AfterSeverityAndIgnores()
    {
        var scan = await ScanAsync(inventory: WithImageFindings());

        // At CRITICAL only the secret remains: it alone trips the gate; at LOW only the missing health check.
        var critical = ScanReport.Create(scan, new ScanReportFilter { Severities = ScanReportFilter.ParseSeverities("CRITICAL") }, Today);
        Assert.Empty(critical.Findings);
        Assert.Empty(critical.Configuration);
        Assert.Single(critical.Secrets);
        Assert.True(critical.TripsGate);
        var low = ScanReport.Create(scan, new ScanReportFilter { Severities = ScanReportFilter.ParseSeverities("LOW") }, Today);
        Assert.Equal(["BWK-CFG-004"], low.Configuration.Select(c => c.Id));
        Assert.True(low.TripsGate);

        var rules = IgnoreFile.Parse("""
            - id: BWK-CFG-004
              reason: Kubernetes probes check health
            - id: BWK-CFG-007
              path: /usr/local/
              reason: the helper needs its setuid bit
            - id: BWK-CFG-008
              path: /srv/other
              reason: another file
            - id: aws-access-key-id
              package: requests
              reason: narrowed to a package, so it never matches a secret
            """);
        var ignored = ScanReport.Create(scan, new ScanReportFilter { Severities = ScanReportFilter.ParseSeverities("LOW,MEDIUM"), Ignores = rules }, Today);
        Assert.Equal(["BWK-CFG-008"], ignored.Configuration.Select(c => c.Id));
        Assert.Equal(["BWK-CFG-004", "BWK-CFG-007"], ignored.IgnoredConfiguration.Select(c => c.Finding.Id));
        Assert.Contains("BWK-CFG-007 at /usr/local/bin/helper: the helper needs its setuid bit", await TableAsync(ignored), StringComparison.Ordinal);
        Assert.Equal("Kubernetes probes check health", (string)(await JsonAsync(ignored))["ignoredConfiguration"]![0]!["ignoredBy"]!["reason"]!);

        var withSecret = ScanReport.Create(scan, new ScanReportFilter { Severities = ScanReportFilter.ParseSeverities("CRITICAL"), Ignores = rules }, Today);
        Assert.Single(withSecret.Secrets);

        var secretIgnored = ScanReport.Create(scan, new ScanReportFilter
        {
            Severities = ScanReportFilter.ParseSeverities("CRITICAL"),
            Ignores = IgnoreFile.Parse("- id: aws-access-key-id\n  path: /opt/app/settings.env\n  reason: a revoked test key\n"),
        }, Today);
        Assert.Empty(secretIgnored.Secrets);
        Assert.Single(secretIgnored.IgnoredSecrets);
        Assert.False(secretIgnored.TripsGate);
    }

    [Fact]
    public async Task CycloneDx_IsSchemaValid_WithVulnerabilitiesThatAffectTheirComponents()
    {
        await ImportLodashAdvisoryAsync();
        var inventory = InventoryScannerTests.Inventory();
        // The same lodash in a second lock file: two components that share a purl, told apart by bom-ref.
        var lodash = inventory.Packages.Single(p => p.Name == "lodash");
        inventory = inventory with { Packages = [.. inventory.Packages, lodash with { FoundIn = "/srv/admin/package-lock.json" }] };
        var report = ScanReport.Create(await ScanAsync(inventory: inventory), ScanReportFilter.None, Today);

        var bom = CycloneDxReportWriter.Build(report, inventory, new SbomOptions { DocumentId = Guid.Empty, TimeProvider = _time, ToolVersion = "1.2.3" });
        var text = Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(bom));

        Assert.Empty(OfficialSchemas.ValidateCycloneDx(text));
        var json = JsonNode.Parse(text)!;
        Assert.Equal("1.6", (string)json["specVersion"]!);
        var refs = json["components"]!.AsArray().Select(c => (string)c!["bom-ref"]!).ToHashSet();
        var vulnerabilities = json["vulnerabilities"]!.AsArray();
        Assert.Equal(["CVE-2010-0928", "CVE-2018-18074", "CVE-2019-1010022", "CVE-2021-23337", "CVE-2023-5678"], vulnerabilities.Select(v => (string)v!["id"]!));
        foreach (var vulnerability in vulnerabilities)
        {
            Assert.All(vulnerability!["affects"]!.AsArray(), a => Assert.Contains((string)a!["ref"]!, refs));
        }

        var lodashVulnerability = vulnerabilities.Single(v => (string)v!["id"]! == "CVE-2021-23337")!;
        Assert.Equal(["pkg:npm/lodash@4.17.20", "pkg:npm/lodash@4.17.20|2"], lodashVulnerability["affects"]!.AsArray().Select(a => (string)a!["ref"]!));
        var versions = lodashVulnerability["affects"]![0]!["versions"]!.AsArray();
        Assert.Equal(("4.17.20", "affected"), ((string)versions[0]!["version"]!, (string)versions[0]!["status"]!));
        Assert.Equal(("4.17.21", "unaffected"), ((string)versions[1]!["version"]!, (string)versions[1]!["status"]!));
        Assert.Equal("osv:npm", (string)lodashVulnerability["source"]!["name"]!);
        Assert.Equal(["GHSA-35jh-r3h4-6jhm"], lodashVulnerability["references"]!.AsArray().Select(r => (string)r!["id"]!));
        Assert.Equal("https://github.com/advisories/GHSA-35jh-r3h4-6jhm", (string)lodashVulnerability["references"]![0]!["source"]!["url"]!);
        var cvss = lodashVulnerability["ratings"]![0]!;
        Assert.Equal((7.2, "high", "CVSSv31", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"),
            ((double)cvss["score"]!, (string)cvss["severity"]!, (string)cvss["method"]!, (string)cvss["vector"]!));
        var github = lodashVulnerability["ratings"]![1]!;
        Assert.Equal(("GitHub Advisory Database", "high", "other"), ((string)github["source"]!["name"]!, (string)github["severity"]!, (string)github["method"]!));
        Assert.Equal([77, 94], lodashVulnerability["cwes"]!.AsArray().Select(c => (int)c!));
        Assert.Equal("Command Injection in lodash", (string)lodashVulnerability["description"]!);
        Assert.Contains("4.17.21", (string)lodashVulnerability["recommendation"]!, StringComparison.Ordinal);
        Assert.Equal("2021-02-15T11:15:12Z", (string)lodashVulnerability["published"]!);
        Assert.Equal("2024-02-05T09:28:40Z", (string)lodashVulnerability["updated"]!);
        Assert.Contains("https://nvd.nist.gov/vuln/detail/CVE-2021-23337", lodashVulnerability["advisories"]!.AsArray().Select(a => (string)a!["url"]!));
        Assert.Equal("exploitable", (string)lodashVulnerability["analysis"]!["state"]!);
        Assert.Equal(["update"], lodashVulnerability["analysis"]!["response"]!.AsArray().Select(r => (string)r!));

        // A Debian CVE: the tracker's page and rating, the base-image remediation.
        var ssl = vulnerabilities.Single(v => (string)v!["id"]! == "CVE-2023-5678")!;
        Assert.Equal("https://security-tracker.debian.org/tracker/CVE-2023-5678", (string)ssl["source"]!["url"]!);
        Assert.Equal(("debian-tracker", "low"), ((string)ssl["ratings"]![0]!["source"]!["name"]!, (string)ssl["ratings"]![0]!["severity"]!));
        Assert.StartsWith("rebuild on a newer base image", (string)ssl["recommendation"]!, StringComparison.Ordinal);
        // The tracker marks CVE-2010-0928 "ignored" for bookworm: the distribution will not fix it.
        var unfixed = vulnerabilities.Single(v => (string)v!["id"]! == "CVE-2010-0928")!;
        Assert.Equal(["will_not_fix"], unfixed["analysis"]!["response"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("libssl3 3.0.11-1~deb12u2: the distribution will not fix it", (string)unfixed["analysis"]!["detail"]!);
        Assert.Equal(["affected"], unfixed["affects"]![0]!["versions"]!.AsArray().Select(v => (string)v!["status"]!));
        Assert.Contains(json["metadata"]!["properties"]!.AsArray(), p => (string)p!["name"]! == CycloneDxReportWriter.DatabaseEmptyProperty && (string)p["value"]! == "false");
    }

    [Fact]
    public async Task CycloneDx_EmptyDatabase_IsSaidInTheMetadata()
    {
        var report = ScanReport.Create(await ScanAsync(import: false), ScanReportFilter.None, Today);

        var text = Encoding.UTF8.GetString(SbomSerializer.ToUtf8Bytes(CycloneDxReportWriter.Build(report, InventoryScannerTests.Inventory())));

        Assert.Empty(OfficialSchemas.ValidateCycloneDx(text));
        var json = JsonNode.Parse(text)!;
        Assert.Empty(json["vulnerabilities"]!.AsArray());
        Assert.Contains(json["metadata"]!["properties"]!.AsArray(), p => (string)p!["name"]! == CycloneDxReportWriter.DatabaseEmptyProperty && (string)p["value"]! == "true");
    }

    /// <summary>
    /// The inventory of <see cref="InventoryScannerTests.Inventory"/> with what image analysis reports besides packages:
    /// configuration findings of four checks (root user, no health check, a setuid binary, a world-writable file) and a
    /// secret in a layer file.
    /// </summary>
    private static ImageInventory WithImageFindings()
    {
        static ConfigFinding From(ConfigCheck check, string description, string location, string? path = null, int? layer = null) => new()
        {
            Id = check.Id,
            Severity = check.Severity,
            Title = check.Title,
            Description = description,
            Location = location,
            Path = path,
            LayerIndex = layer,
            Remediation = check.Remediation,
        };

        return InventoryScannerTests.Inventory() with
        {
            ConfigFindings =
            [
                From(ConfigChecks.RunsAsRoot, "The image sets no USER, so containers run as root (uid 0) unless the runtime overrides it.", "config.User"),
                From(ConfigChecks.NoHealthcheck, "The image defines no HEALTHCHECK.", "config.Healthcheck"),
                From(ConfigChecks.SetIdFile, "/usr/local/bin/helper has mode 4755 (uid 0, gid 0).", "usr/local/bin/helper", "usr/local/bin/helper", 1),
                From(ConfigChecks.WorldWritableFile, "/srv/data/cache.db has mode 0666 (uid 0, gid 0).", "srv/data/cache.db", "srv/data/cache.db", 1),
            ],
            Secrets =
            [
                new SecretFinding
                {
                    RuleId = "aws-access-key-id", Category = "AWS", Severity = FindingSeverity.Critical, Title = "AWS access key ID",
                    Path = "opt/app/settings.env", LayerIndex = 1, Line = 2, Match = "AKIA************RT",
                },
            ],
        };
    }

    // GHSA-35jh-r3h4-6jhm in OSV as the GitHub Advisory Database publishes it (the fields Bulwark reads), with two
    // malformed references and a malformed CWE id that must be dropped, not refused.
    private async Task ImportLodashAdvisoryAsync()
    {
        var importer = new AdvisoryImporter(_store, new HttpClient(), new AdvisoryImportOptions { DownloadDirectory = Path.Combine(_db.Directory, "dl") });
        var path = Path.Combine(_db.Directory, "GHSA-35jh-r3h4-6jhm.json");
        await File.WriteAllTextAsync(path, """
            {"schema_version": "1.4.0", "id": "GHSA-35jh-r3h4-6jhm", "modified": "2024-02-05T09:28:40Z", "published": "2021-02-15T11:15:12Z",
             "aliases": ["CVE-2021-23337"], "summary": "Command Injection in lodash",
             "details": "`lodash` versions prior to 4.17.21 are vulnerable to Command Injection via the template function.",
             "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}],
             "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}],
             "references": [{"type": "ADVISORY", "url": "https://nvd.nist.gov/vuln/detail/CVE-2021-23337"},
               {"type": "WEB", "url": "https://github.com/lodash/lodash/commit/3469357cff396a26c363f8c1b5a91dde28ba4b1c"},
               {"type": "WEB"}, "not an object"],
             "database_specific": {"cwe_ids": ["CWE-77", "CWE-94", "not-a-cwe"], "severity": "HIGH", "github_reviewed": true}}
            """);
        await importer.ImportOsvAsync("osv:npm", path, null, CancellationToken.None);
    }

    private async Task<ScanResult> ScanAsync(bool import = true, TimeSpan advance = default, ImageInventory? inventory = null)
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
        return await new InventoryScanner(_store, _time).ScanAsync(inventory ?? InventoryScannerTests.Inventory(), CancellationToken.None);
    }

    private static async Task<JsonNode> SarifAsync(ScanReport report)
    {
        using var stream = new MemoryStream();
        await SarifReportWriter.WriteAsync(report, stream, CancellationToken.None);
        var node = JsonNode.Parse(stream.ToArray())!;
        Assert.Empty(OfficialSchemas.ValidateSarif(node.ToJsonString()));
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
