using System.Text;
using Bulwark.Analysis.Configuration;
using Bulwark.Analysis.Sources;
using Bulwark.Analysis.Tests.Fixtures;
using Bulwark.Oci;
using static Bulwark.Analysis.Tests.Fixtures.SyntheticImage;

namespace Bulwark.Analysis.Tests.Configuration;

/// <summary>The image configuration checks on real OCI config JSON and on tar header modes.</summary>
public sealed class ConfigurationCheckTests
{
    private static readonly string Diff = "sha256:" + new string('a', 64);

    private static async Task<List<ConfigFinding>> CheckAsync(string configJson, params byte[][] layers)
    {
        var image = Create(layers.Length > 0 ? layers : [Tar(t => t.File("app/x", "x"))]) with { Config = ImageConfig.Parse(Encoding.UTF8.GetBytes(configJson)) };
        return [.. (await AnalyzeAsync(image)).ConfigFindings];
    }

    /// <summary>A config as Docker writes it, with <paramref name="config"/> as the <c>config</c> object and the given history.</summary>
    private static string Config(string config, string history = """[{"created_by":"/bin/sh -c #(nop) ADD file:4b03 in / "}]""") => $$"""
        {"architecture":"amd64","os":"linux","created":"2026-01-01T00:00:00Z",
         "config":{{config}},
         "rootfs":{"type":"layers","diff_ids":["{{Diff}}"]},
         "history":{{history}}}
        """;

    private const string Healthy = "\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f http://localhost/ || exit 1\"],\"Interval\":30000000000}";

    [Fact]
    public async Task WellConfiguredImage_HasNoFindings()
    {
        var findings = await CheckAsync(Config($$"""{"User":"app","Env":["PATH=/usr/bin"],"ExposedPorts":{"8080/tcp":{ } },{{Healthy}} }"""));

        Assert.Empty(findings);
    }

    [Theory]
    [InlineData("""{"Env":["PATH=/usr/bin"]}""", "The image sets no USER")]
    [InlineData("""{"User":""}""", "The image sets no USER")]
    [InlineData("""{"User":"0"}""", "USER is '0'")]
    [InlineData("""{"User":"root:root"}""", "USER is 'root:root'")]
    [InlineData("""{"User":"0:1000"}""", "USER is '0:1000'")]
    public async Task RunsAsRoot(string config, string description)
    {
        var finding = Assert.Single(await CheckAsync(Config(config.TrimEnd('}') + (config.Length > 2 ? "," : "") + Healthy + "}")));

        Assert.Equal(("BWK-CFG-001", "config.User"), (finding.Id, finding.Location));
        Assert.StartsWith(description, finding.Description, StringComparison.Ordinal);
        Assert.NotEmpty(finding.Remediation);
    }

    [Fact]
    public async Task NonRootUserWithRootGroup_IsNotRoot()
    {
        Assert.Empty(await CheckAsync(Config($$"""{"User":"1000:0",{{Healthy}} }""")));
    }

    [Fact]
    public async Task SecretInEnv_ReusesTheSecretRules_AndIsRedacted()
    {
        var token = "ghp_" + Secrets.FakeSecrets.Random(Secrets.FakeSecrets.Alnum, 36, 70);
        var finding = Assert.Single(await CheckAsync(Config($$"""{"User":"app","Env":["PATH=/usr/bin","GH_TOKEN={{token}}"],{{Healthy}} }""")));

        Assert.Equal(("BWK-CFG-002", "config.Env[GH_TOKEN]", Inventory.FindingSeverity.Critical), (finding.Id, finding.Location, finding.Severity));
        Assert.Contains("ghp_*****", finding.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(token, finding.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SensitivePorts_AreReported_OthersAreNot()
    {
        var findings = await CheckAsync(Config($$"""{"User":"app","ExposedPorts":{"22/tcp":{},"80/tcp":{},"5432/tcp":{},"2375/tcp":{},"5900":{ } },{{Healthy}} }"""));

        Assert.All(findings, f => Assert.Equal("BWK-CFG-003", f.Id));
        Assert.Equal(["config.ExposedPorts[22/tcp]", "config.ExposedPorts[2375/tcp]", "config.ExposedPorts[5432/tcp]", "config.ExposedPorts[5900]"], findings.Select(f => f.Location));
        Assert.Contains("SSH", findings[0].Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"User":"app"}""", "The image defines no HEALTHCHECK.")]
    [InlineData("""{"User":"app","Healthcheck":{"Test":["NONE"]}}""", "The health check is disabled (HEALTHCHECK NONE).")]
    public async Task NoHealthcheck(string config, string description)
    {
        var finding = Assert.Single(await CheckAsync(Config(config)));

        Assert.Equal(("BWK-CFG-004", "config.Healthcheck", description), (finding.Id, finding.Location, finding.Description));
    }

    [Fact]
    public async Task BaseImageReferences_FromHistory_LatestAndUntaggedArePinnedNot()
    {
        var history = """
            [{"created_by":"/bin/sh -c #(nop) FROM docker.io/library/debian:latest","empty_layer":true},
             {"created_by":"/bin/sh -c #(nop) FROM alpine","empty_layer":true},
             {"created_by":"FROM --platform=linux/amd64 registry.local:5000/base","empty_layer":true},
             {"created_by":"/bin/sh -c #(nop) FROM debian:12.8","empty_layer":true},
             {"created_by":"/bin/sh -c #(nop) FROM debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","empty_layer":true},
             {"created_by":"/bin/sh -c psql -c 'SELECT * FROM users'"}]
            """;

        var findings = await CheckAsync(Config($$"""{"User":"app",{{Healthy}} }""", history));

        Assert.Equal(
            [("BWK-CFG-005", "history[0].created_by"), ("BWK-CFG-005", "history[1].created_by"), ("BWK-CFG-005", "history[2].created_by")],
            findings.Select(f => (f.Id, f.Location)));
        Assert.Contains("moving tag ('latest')", findings[0].Description, StringComparison.Ordinal);
        Assert.Contains("no tag", findings[1].Description, StringComparison.Ordinal);
        Assert.Contains("registry.local:5000/base", findings[2].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoteAdd_WithoutChecksum_IsReported_WithItsLayer()
    {
        var history = """
            [{"created_by":"/bin/sh -c #(nop) ADD file:4b03 in / "},
             {"created_by":"/bin/sh -c #(nop) ADD https://example.org/tool.tgz /opt/"},
             {"created_by":"ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.org/b.tgz /b # buildkit"}]
            """;
        var layers = new[] { Tar(t => t.File("a", "a")), Tar(t => t.File("b", "b")), Tar(t => t.File("c", "c")) };
        var json = Config($$"""{"User":"app",{{Healthy}} }""", history).Replace($"[\"{Diff}\"]", $"[\"{Diff}\",\"{Diff}\",\"{Diff}\"]", StringComparison.Ordinal);

        var finding = Assert.Single(await CheckAsync(json, layers));

        Assert.Equal(("BWK-CFG-006", "history[1].created_by", (int?)1), (finding.Id, finding.Location, finding.LayerIndex));
        Assert.Contains("https://example.org/tool.tgz", finding.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetIdAndWorldWritable_FromTarModes_InTheFinalView()
    {
        var findings = await CheckAsync(Config($$"""{"User":"app",{{Healthy}} }"""),
            Tar(t => t
                .File("usr/bin/su", ElfBytes.Elf(), ElfBytes.ExecMode | UnixFileMode.SetUser)
                .File("usr/bin/wall", ElfBytes.Elf(), ElfBytes.ExecMode | UnixFileMode.SetGroup)
                .File("usr/bin/fixed-later", ElfBytes.Elf(), ElfBytes.ExecMode | UnixFileMode.SetUser)
                .File("etc/shared.conf", "x", (UnixFileMode)0b110_110_110)
                .Directory("tmp/", (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit)
                .Directory("srv/drop/", (UnixFileMode)0b111_111_111)
                .Directory("srv/gone/", (UnixFileMode)0b111_111_111)
                .Symlink("usr/bin/link", "su")),
            Tar(t => t.File("usr/bin/fixed-later", ElfBytes.Elf(), ElfBytes.ExecMode).Whiteout("srv/gone")));

        Assert.Equal(
            [("BWK-CFG-008", "etc/shared.conf", 0), ("BWK-CFG-009", "srv/drop", 0), ("BWK-CFG-007", "usr/bin/su", 0), ("BWK-CFG-007", "usr/bin/wall", 0)],
            findings.Select(f => (f.Id, f.Path!, f.LayerIndex!.Value)));
        Assert.Contains("mode 4755", findings.Single(f => f.Path == "usr/bin/su").Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoConfig_AsForARootFilesystem_OnlyFileChecks()
    {
        var inventory = await AnalyzeAsync(Create(Tar(t => t.File("bin/x", "x", (UnixFileMode)0b111_101_101 | UnixFileMode.SetUser))));

        Assert.Equal(["BWK-CFG-007"], inventory.ConfigFindings.Select(f => f.Id));
    }

    [Fact]
    public async Task EmptyConfig_RunsAsRootAndHasNoHealthcheck()
    {
        var findings = await CheckAsync("{}");

        Assert.Equal(["BWK-CFG-001", "BWK-CFG-004"], findings.Select(f => f.Id));
    }

    [Fact]
    public async Task Debootstrap_FindsTheKnownSetuidBinaries()
    {
        await using var source = new OciLayoutSource(await DebianTestImage.GetOciLayoutAsync(), DebianTestImage.Tag);

        var inventory = Assert.Single(await new ImageAnalyzer().AnalyzeAsync(source, null, CancellationToken.None));

        var setId = inventory.ConfigFindings.Where(f => f.Id == "BWK-CFG-007").Select(f => f.Path).ToHashSet();
        Assert.Superset(new HashSet<string?> { "usr/bin/su", "usr/bin/mount", "usr/bin/umount", "usr/bin/passwd", "usr/bin/chsh", "usr/bin/chfn", "usr/bin/gpasswd", "usr/bin/newgrp", "usr/sbin/unix_chkpwd" }, setId);
        // /tmp and /var/tmp are world-writable with the sticky bit: not reported.
        Assert.DoesNotContain(inventory.ConfigFindings, f => f.Id is "BWK-CFG-008" or "BWK-CFG-009");
        Assert.Contains(inventory.ConfigFindings, f => f.Id == "BWK-CFG-001");
    }

    [Fact]
    public async Task RootFsDirectory_WithDeviceNodes_IsAnalysed_AndDeviceNodesAreNotWorldWritableFiles()
    {
        // debootstrap creates dev/null, dev/tty, dev/console…: never opened, never reported.
        await using var source = new RootFsSource(await DebootstrapRootFs.GetAsync());

        var inventory = Assert.Single(await new ImageAnalyzer().AnalyzeAsync(source, null, CancellationToken.None));

        Assert.True(File.Exists(Path.Combine(DebootstrapRootFs.Root, "dev/tty")));
        Assert.DoesNotContain(inventory.ConfigFindings, f => f.Path?.StartsWith("dev/", StringComparison.Ordinal) == true);
        Assert.Contains(inventory.ConfigFindings, f => f is { Id: "BWK-CFG-007", Path: "usr/bin/su" });
        Assert.Empty(inventory.Secrets);
    }
}
