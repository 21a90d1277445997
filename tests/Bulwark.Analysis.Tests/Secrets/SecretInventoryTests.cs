using System.Text;
using System.Text.Json;
using Bulwark.Analysis.Secrets;
using Bulwark.Analysis.Sources;
using Bulwark.Analysis.Tests.Fixtures;
using Bulwark.Oci;
using static Bulwark.Analysis.Tests.Fixtures.SyntheticImage;
using static Bulwark.Analysis.Tests.Secrets.FakeSecrets;

namespace Bulwark.Analysis.Tests.Secrets;

/// <summary>Secrets in layer files and in the image config, as the inventory reports them.</summary>
public sealed class SecretInventoryTests
{
    private static readonly string GitHubToken = "ghp_" + Random(Alnum, 36, 60);
    private static readonly string AwsKeyId = "AKIA" + Random(Base32, 16, 61);
    private static readonly string Password = Random(Alnum, 20, 62) + "7";

    [Fact]
    public async Task SecretDeletedInALaterLayer_IsStillReported_WithTheLowerLayer()
    {
        var inventory = await AnalyzeAsync(Create(
            Tar(t => t.File("root/.config/gh/hosts.yml", $"github.com:\n    oauth_token: {GitHubToken}\n")),
            Tar(t => t.Whiteout("root/.config"))));

        var finding = Assert.Single(inventory.Secrets);
        Assert.Equal(("github-pat", "root/.config/gh/hosts.yml", 0, 2, "ghp_*****"), (finding.RuleId, finding.Path, finding.LayerIndex, finding.Line, finding.Match));
        Assert.Equal(Inventory.FindingSeverity.Critical, finding.Severity);
        Assert.Null(finding.ConfigLocation);
    }

    [Fact]
    public async Task SameFileInTwoLayers_IsReportedForEach()
    {
        var inventory = await AnalyzeAsync(Create(
            Tar(t => t.File("app/.env", $"AWS_ACCESS_KEY_ID={AwsKeyId}\n")),
            Tar(t => t.File("app/.env", $"# rotated\nAWS_ACCESS_KEY_ID={AwsKeyId}\n"))));

        Assert.Equal([(0, 1), (1, 2)], inventory.Secrets.Select(s => (s.LayerIndex!.Value, s.Line)));
    }

    [Fact]
    public async Task BinaryNoiseAndLargeFiles_AreNotSearched()
    {
        var binary = Encoding.UTF8.GetBytes("\0\0" + GitHubToken);
        var inventory = await AnalyzeAsync(Create(Tar(t => t
            .File("app/data.bin", binary)
            .File("usr/share/doc/tool/README", GitHubToken)
            .File("app/logo.png", GitHubToken)
            .File("app/big.txt", new string(' ', 3 * 1024 * 1024) + GitHubToken)
            .File("app/found.txt", GitHubToken))));

        Assert.Equal(["app/found.txt"], inventory.Secrets.Select(s => s.Path));
    }

    [Fact]
    public async Task UserAllowList_PathGlobs()
    {
        var options = new AnalysisOptions { Secrets = new SecretScanOptions { AllowPaths = ["app/fixtures/**"] } };
        var inventory = await AnalyzeAsync(Create(Tar(t => t.File("app/fixtures/keys.txt", GitHubToken).File("app/real.txt", GitHubToken))), options: options);

        Assert.Equal(["app/real.txt"], inventory.Secrets.Select(s => s.Path));
    }

    [Fact]
    public async Task Config_EnvLabelsAndHistory_AreSearched()
    {
        var config = ImageConfig.Parse(Encoding.UTF8.GetBytes($$"""
            {
              "architecture": "amd64", "os": "linux",
              "config": {
                "Env": ["PATH=/usr/bin", "DB_PASSWORD={{Password}}"],
                "Labels": { "ci.token": "{{GitHubToken}}" }
              },
              "rootfs": { "type": "layers", "diff_ids": ["sha256:{{new string('a', 64)}}"] },
              "history": [
                { "created_by": "/bin/sh -c #(nop) ENV A=1", "empty_layer": true },
                { "created_by": "|1 KEY={{AwsKeyId}} /bin/sh -c make install" }
              ]
            }
            """));
        var image = Create(Tar(t => t.File("app/x", "nothing"))) with { Config = config };

        var inventory = await AnalyzeAsync(image);

        Assert.Equal(
            [("generic-secret-assignment", "config.Env[DB_PASSWORD]", (int?)null), ("github-pat", "config.Labels[ci.token]", null), ("aws-access-key-id", "history[1].created_by", 0)],
            inventory.Secrets.Select(s => (s.RuleId, s.ConfigLocation!, s.LayerIndex)));
        Assert.All(inventory.Secrets, s => Assert.Null(s.Path));
    }

    [Fact]
    public async Task Redaction_TheFullSecretAppearsNowhereInTheSerializedInventory()
    {
        var secrets = SecretRuleTests.Cases.Select(c => (string)c[1]).ToList();
        var config = new ImageConfig
        {
            Config = new ImageExecutionConfig { Env = [$"GITHUB_TOKEN={GitHubToken}", $"SECRET_KEY={Password}"] },
        };
        var image = Create(Tar(t =>
        {
            for (var i = 0; i < secrets.Count; i++)
            {
                t.File($"app/secret{i}.txt", secrets[i]);
            }
        })) with
        { Config = config };

        var inventory = await AnalyzeAsync(image);
        var json = JsonSerializer.Serialize(inventory);

        Assert.True(inventory.Secrets.Count >= secrets.Count + 2, $"{inventory.Secrets.Count} findings");
        foreach (var value in RawValues().Append(GitHubToken).Append(Password))
        {
            Assert.DoesNotContain(value, json, StringComparison.Ordinal);
            Assert.DoesNotContain(inventory.Warnings, w => w.Contains(value, StringComparison.Ordinal));
        }

        Assert.All(inventory.Secrets, s => Assert.EndsWith(SecretRedaction.Mask, s.Match, StringComparison.Ordinal));
        // The inventory carries the config with the secrets redacted in place; the rest of it is untouched.
        Assert.Equal(["GITHUB_TOKEN=ghp_*****", "SECRET_KEY=" + SecretRedaction.Redact(Password)], inventory.Config!.Config!.Env);
    }

    /// <summary>The secret parts of the positive cases (token bodies), long enough that any leak would contain them.</summary>
    private static IEnumerable<string> RawValues()
    {
        foreach (var positive in SecretRuleTests.Cases.Select(c => (string)c[1]))
        {
            foreach (var token in positive.Split([' ', '=', '"', '\n', ':', '@', '&', '/'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.Length >= 16 && token.Any(char.IsAsciiDigit) && !token.Contains("PRIVATE", StringComparison.Ordinal)
                    && !token.Contains('.', StringComparison.Ordinal) && !token.StartsWith("https", StringComparison.Ordinal))
                {
                    yield return token[4..];
                }
            }
        }
    }

    [Fact]
    public async Task Debootstrap_HasNoSecretFindings()
    {
        // A clean minimal Debian holds no credentials: anything reported here is a false positive to fix.
        await using var source = new OciLayoutSource(await DebianTestImage.GetOciLayoutAsync(), DebianTestImage.Tag);

        var inventory = Assert.Single(await new ImageAnalyzer().AnalyzeAsync(source, null, CancellationToken.None));

        Assert.Empty(inventory.Secrets.Select(s => $"{s.RuleId} {s.Path}:{s.Line} {s.Match}"));
        Assert.Empty(inventory.Warnings);
    }
}
