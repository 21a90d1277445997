using System.Net;
using System.Text.Json.Nodes;
using Bulwark.Interop.Tests.Infrastructure;
using Bulwark.Tests.Shared;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>
/// <c>bulwark db update/status</c> and <c>bulwark scan</c> end to end: the real crates.io OSV archive served over HTTP on
/// 127.0.0.1, a corrupt download that must leave the old data, and a Debian root filesystem (real dpkg status and
/// os-release formats) matched against a fragment in the Debian Security Tracker format (real CVE and package, fixed
/// version chosen above the installed one so that the finding is certain).
/// </summary>
public sealed class ScanCliTests : IDisposable
{
    private const string Tracker = """
        {"zlib": {"CVE-2023-45853": {"description": "MiniZip integer overflow",
          "releases": {"bookworm": {"status": "resolved", "fixed_version": "1:1.2.13.dfsg-1.1", "urgency": "high"}}}}}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("bulwark-scan-cli").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Db => Path.Combine(_dir, "advisories.db");

    [Fact]
    public async Task DbUpdate_FromHttp_ThenCorruptZip_KeepsTheOldData()
    {
        var crates = await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot.Path, "..", "shared", "data", "osv", "crates.io.zip"));
        using var server = new ZipServer(crates);
        var url = $"osv:{server.Url}crates.io/all.zip";

        (await BulwarkExecutable.RunAsync(["db", "update", "--db", Db, "--source", url], CancellationToken.None)).AssertSucceeded();
        var status = await StatusAsync();
        Assert.Equal(1206, (int)status["advisories"]!);
        Assert.Equal("osv:crates.io", (string)status["sources"]![0]!["name"]!);

        server.Content = [.. crates.Take(crates.Length / 3), .. new byte[1000]];
        server.ETag = "\"v2\"";
        var corrupt = await BulwarkExecutable.RunAsync(["db", "update", "--db", Db, "--source", url], CancellationToken.None);
        Assert.Equal(1, corrupt.ExitCode);
        Assert.Contains("FAILED osv:crates.io", corrupt.StandardError, StringComparison.Ordinal);
        Assert.Equal(1206, (int)(await StatusAsync())["advisories"]!);
    }

    [Fact]
    public async Task Scan_DebianRootFs_FindsTrackerAdvisory_AndGatesWithExitCode()
    {
        var rootfs = WriteRootFs();
        var tracker = Path.Combine(_dir, "debian.json");
        await File.WriteAllTextAsync(tracker, Tracker);
        (await BulwarkExecutable.RunAsync(["db", "update", "--db", Db, "--source", "debian:" + tracker], CancellationToken.None)).AssertSucceeded();

        var json = await BulwarkExecutable.RunAsync(["scan", "dir:" + rootfs, "--db", Db, "--skip-db-update", "--format", "json", "--exit-code", "4"], CancellationToken.None);
        Assert.Equal(4, json.ExitCode);
        var report = JsonNode.Parse(json.StandardOutput)!;
        var finding = report["results"]![0]!["findings"]![0]!;
        Assert.Equal("CVE-2023-45853", (string)finding["id"]!);
        Assert.Equal("zlib1g", (string)finding["package"]!["name"]!);
        Assert.Equal("HIGH", (string)finding["severity"]!);

        var filtered = await BulwarkExecutable.RunAsync(["scan", "dir:" + rootfs, "--db", Db, "--skip-db-update", "--severity", "CRITICAL", "--exit-code", "4"], CancellationToken.None);
        Assert.Equal(0, filtered.ExitCode);

        var ignore = Path.Combine(_dir, "ignore.yaml");
        await File.WriteAllTextAsync(ignore, "- id: CVE-2023-45853\n  reason: minizip is not used\n");
        var ignored = await BulwarkExecutable.RunAsync(["scan", "dir:" + rootfs, "--db", Db, "--skip-db-update", "--ignorefile", ignore, "--exit-code", "4"], CancellationToken.None);
        Assert.Equal(0, ignored.ExitCode);
        Assert.Contains("minizip is not used", ignored.StandardOutput, StringComparison.Ordinal);

        await File.WriteAllTextAsync(ignore, "- id: CVE-2023-45853\n");
        var malformed = await BulwarkExecutable.RunAsync(["scan", "dir:" + rootfs, "--db", Db, "--skip-db-update", "--ignorefile", ignore], CancellationToken.None);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("ignore.yaml:1: the entry for CVE-2023-45853 has no 'reason'", malformed.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_SourceDirectory_MatchesLockFile_AndGates()
    {
        var project = Path.Combine(_dir, "project");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "requirements.txt"), "jinja2==3.1.2\n");
        var osv = Path.Combine(_dir, "GHSA-h5c8-rqwp-cp95.json");
        await File.WriteAllTextAsync(osv, """
            {"schema_version": "1.6.0", "id": "GHSA-h5c8-rqwp-cp95", "aliases": ["CVE-2024-22195"],
             "modified": "2024-01-11T15:20:48Z", "published": "2024-01-11T15:20:48Z",
             "summary": "Jinja vulnerable to HTML attribute injection when passing user input as keys to xmlattr filter",
             "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N"}],
             "affected": [{"package": {"ecosystem": "PyPI", "name": "jinja2"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.1.3"}]}]}]}
            """);
        (await BulwarkExecutable.RunAsync(["db", "update", "--db", Db, "--source", "osv:" + osv], CancellationToken.None)).AssertSucceeded();

        var json = await BulwarkExecutable.RunAsync(["scan", project, "--db", Db, "--skip-db-update", "--format", "json", "--exit-code", "3"], CancellationToken.None);
        Assert.Equal(3, json.ExitCode);
        var finding = JsonNode.Parse(json.StandardOutput)!["results"]![0]!["findings"]![0]!;
        Assert.Equal("CVE-2024-22195", (string)finding["id"]!); // the CVE alias is the primary id
        Assert.Equal("jinja2", (string)finding["package"]!["name"]!);

        // dir: forces the root filesystem mode, which has no lock file analyzers.
        var forced = await BulwarkExecutable.RunAsync(["scan", "dir:" + project, "--db", Db, "--skip-db-update", "--exit-code", "3"], CancellationToken.None);
        Assert.Equal(0, forced.ExitCode);

        var sbom = await BulwarkExecutable.RunAsync(["sbom", project], CancellationToken.None);
        Assert.Equal(0, sbom.ExitCode);
        Assert.Contains("pkg:pypi/jinja2@3.1.2", sbom.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_RootFsWithPlantedSecret_ReportsRedactedMatch_AndGates()
    {
        var rootfs = WriteRootFs();
        const string key = "AKIA" + "Q7ZJ3K5LM2NPX4RT";
        Directory.CreateDirectory(Path.Combine(rootfs, "opt", "app"));
        await File.WriteAllTextAsync(Path.Combine(rootfs, "opt", "app", "settings.env"), $"REGION=eu-west-1\nAWS_ACCESS_KEY_ID={key}\n");
        var tracker = Path.Combine(_dir, "debian.json");
        await File.WriteAllTextAsync(tracker, Tracker);
        (await BulwarkExecutable.RunAsync(["db", "update", "--db", Db, "--source", "debian:" + tracker], CancellationToken.None)).AssertSucceeded();

        // CRITICAL leaves out the HIGH zlib finding: the critical secret alone trips the gate.
        var json = await BulwarkExecutable.RunAsync(["scan", rootfs, "--db", Db, "--skip-db-update", "--format", "json", "--severity", "CRITICAL", "--exit-code", "4"], CancellationToken.None);
        Assert.Equal(4, json.ExitCode);
        var report = JsonNode.Parse(json.StandardOutput)!;
        Assert.DoesNotContain("CVE-2023-45853", json.StandardOutput, StringComparison.Ordinal);
        var secret = report["secrets"]![0]!;
        Assert.Equal("aws-access-key-id", (string)secret["ruleId"]!);
        Assert.Equal("/opt/app/settings.env", (string)secret["path"]!);
        Assert.Equal(2, (int)secret["line"]!);
        Assert.StartsWith("AKIA", (string)secret["match"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(key, json.StandardOutput, StringComparison.Ordinal);

        var table = await BulwarkExecutable.RunAsync(["scan", rootfs, "--db", Db, "--skip-db-update"], CancellationToken.None);
        Assert.Contains("aws-access-key-id", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains((string)secret["match"]!, table.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(key, table.StandardOutput + table.StandardError, StringComparison.Ordinal);

        var sarif = await BulwarkExecutable.RunAsync(["scan", rootfs, "--db", Db, "--skip-db-update", "--format", "sarif"], CancellationToken.None);
        Assert.DoesNotContain(key, sarif.StandardOutput, StringComparison.Ordinal);

        var low = await BulwarkExecutable.RunAsync(["scan", rootfs, "--db", Db, "--skip-db-update", "--severity", "LOW", "--exit-code", "4"], CancellationToken.None);
        Assert.Equal(0, low.ExitCode);
    }

    [Fact]
    public async Task Scan_EmptyDatabase_IsLoud_AndFailsTheGate()
    {
        var result = await BulwarkExecutable.RunAsync(["scan", "dir:" + WriteRootFs(), "--db", Db, "--skip-db-update", "--exit-code", "1"], CancellationToken.None);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The advisory database is EMPTY", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("WARNING", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_BadSeverity_IsAUsageError()
    {
        var result = await BulwarkExecutable.RunAsync(["scan", "dir:" + WriteRootFs(), "--db", Db, "--skip-db-update", "--severity", "SEVERE"], CancellationToken.None);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown severity 'SEVERE'", result.StandardError, StringComparison.Ordinal);
    }

    private async Task<JsonNode> StatusAsync()
    {
        var result = (await BulwarkExecutable.RunAsync(["db", "status", "--db", Db, "--format", "json"], CancellationToken.None)).AssertSucceeded();
        return JsonNode.Parse(result.StandardOutput)!;
    }

    private string WriteRootFs()
    {
        var root = Path.Combine(_dir, "rootfs");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        Directory.CreateDirectory(Path.Combine(root, "var", "lib", "dpkg"));
        File.WriteAllText(Path.Combine(root, "etc", "os-release"),
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n");
        File.WriteAllText(Path.Combine(root, "var", "lib", "dpkg", "status"), """
            Package: zlib1g
            Status: install ok installed
            Priority: required
            Section: libs
            Installed-Size: 168
            Maintainer: Mark Brown <broonie@debian.org>
            Architecture: amd64
            Multi-Arch: same
            Source: zlib
            Version: 1:1.2.13.dfsg-1
            Description: compression library - runtime

            """);
        return root;
    }

    /// <summary>Serves one byte array at any path on 127.0.0.1 with an ETag.</summary>
    private sealed class ZipServer : IDisposable
    {
        private readonly HttpListener _listener = new();

        public ZipServer(byte[] content)
        {
            Content = content;
            var port = LoopbackPort.Free();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = ServeAsync();
        }

        public byte[] Content { get; set; }

        public string ETag { get; set; } = "\"v1\"";

        public string Url { get; }

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                context.Response.Headers["ETag"] = ETag;
                if (context.Request.Headers["If-None-Match"] == ETag)
                {
                    context.Response.StatusCode = 304;
                    context.Response.Close();
                    continue;
                }

                context.Response.ContentType = "application/zip";
                context.Response.ContentLength64 = Content.Length;
                await context.Response.OutputStream.WriteAsync(Content);
                context.Response.Close();
            }
        }
    }

    [Fact]
    public async Task Scan_RootFsWithRiskyModes_ReportsConfiguration_InEveryFormat_AndGates()
    {
        var rootfs = WriteRootFs();
        var helper = Path.Combine(rootfs, "usr", "local", "bin", "helper");
        Directory.CreateDirectory(Path.GetDirectoryName(helper)!);
        await File.WriteAllTextAsync(helper, "#!/bin/sh\necho helper\n");
        File.SetUnixFileMode(helper, UnixFileMode.SetUser | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var cache = Path.Combine(rootfs, "srv", "cache.db");
        Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
        await File.WriteAllTextAsync(cache, "cached\n");
        File.SetUnixFileMode(cache, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        var tracker = Path.Combine(_dir, "debian.json");
        await File.WriteAllTextAsync(tracker, Tracker);
        (await BulwarkExecutable.RunAsync(["db", "update", "--db", Db, "--source", "debian:" + tracker], CancellationToken.None)).AssertSucceeded();

        // MEDIUM leaves out the HIGH zlib finding: the setuid binary and the world-writable file alone trip the gate.
        var json = await BulwarkExecutable.RunAsync(["scan", rootfs, "--db", Db, "--skip-db-update", "--format", "json", "--severity", "MEDIUM", "--exit-code", "5"], CancellationToken.None);
        Assert.Equal(5, json.ExitCode);
        var report = JsonNode.Parse(json.StandardOutput)!;
        Assert.Empty(report["results"]!.AsArray());
        var configuration = report["configuration"]!.AsArray();
        var setuid = configuration.Single(c => (string)c!["ruleId"]! == "BWK-CFG-007")!;
        Assert.Equal("/usr/local/bin/helper", (string)setuid["path"]!);
        Assert.Equal("MEDIUM", (string)setuid["severity"]!);
        Assert.Contains("mode 4755", (string)setuid["message"]!, StringComparison.Ordinal);
        Assert.Equal("/srv/cache.db", (string)configuration.Single(c => (string)c!["ruleId"]! == "BWK-CFG-008")!["path"]!);

        var sarif = await BulwarkExecutable.RunAsync(["scan", rootfs, "--db", Db, "--skip-db-update", "--format", "sarif"], CancellationToken.None);
        var run = JsonNode.Parse(sarif.StandardOutput)!["runs"]![0]!;
        var rule = run["tool"]!["driver"]!["rules"]!.AsArray().Single(r => (string)r!["id"]! == "BWK-CFG-007")!;
        Assert.Equal("5.5", (string)rule["properties"]!["security-severity"]!);
        var result = run["results"]!.AsArray().Single(r => (string)r!["ruleId"]! == "BWK-CFG-007")!;
        Assert.Equal("usr/local/bin/helper", (string)result["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!);
        Assert.Contains(run["results"]!.AsArray(), r => (string)r!["ruleId"]! == "CVE-2023-45853");

        var table = await BulwarkExecutable.RunAsync(["scan", rootfs, "--db", Db, "--skip-db-update"], CancellationToken.None);
        Assert.Contains("(Configuration)", table.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"BWK-CFG-008\s+MEDIUM\s+World-writable file\s+/srv/cache.db", table.StandardOutput);

        var ignore = Path.Combine(_dir, "ignore.yaml");
        await File.WriteAllTextAsync(ignore, "- id: BWK-CFG-007\n  path: /usr/local/bin/helper\n  reason: needs its setuid bit\n- id: BWK-CFG-008\n  reason: cache shared with the sidecar\n");
        var ignored = await BulwarkExecutable.RunAsync(["scan", rootfs, "--db", Db, "--skip-db-update", "--severity", "MEDIUM", "--ignorefile", ignore, "--exit-code", "5"], CancellationToken.None);
        Assert.Equal(0, ignored.ExitCode);
        Assert.Contains("needs its setuid bit", ignored.StandardOutput, StringComparison.Ordinal);

        var cyclonedx = await BulwarkExecutable.RunAsync(["scan", rootfs, "--db", Db, "--skip-db-update", "--format", "cyclonedx", "--exit-code", "5"], CancellationToken.None);
        Assert.Equal(5, cyclonedx.ExitCode);
        Assert.Empty(OfficialSchemas.ValidateCycloneDx(cyclonedx.StandardOutput));
        var bom = JsonNode.Parse(cyclonedx.StandardOutput)!;
        var vulnerability = Assert.Single(bom["vulnerabilities"]!.AsArray())!;
        Assert.Equal("CVE-2023-45853", (string)vulnerability["id"]!);
        var affected = (string)vulnerability["affects"]![0]!["ref"]!;
        var component = bom["components"]!.AsArray().Single(c => (string?)c!["bom-ref"] == affected)!;
        Assert.Equal(("zlib1g", "1:1.2.13.dfsg-1"), ((string)component["name"]!, (string)component["version"]!));
        Assert.Equal("high", (string)vulnerability["ratings"]![0]!["severity"]!);
        Assert.Contains("1:1.2.13.dfsg-1.1", (string)vulnerability["recommendation"]!, StringComparison.Ordinal);
    }

}
