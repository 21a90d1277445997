using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Interop.Tests.Clients;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>
/// <c>bulwark policy check</c> and <c>bulwark report stale</c> as a CI job runs them against the live registry: images
/// pushed with skopeo, signed with <c>bulwark sign</c>, policies with keys in files next to them.
/// </summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed class PolicyCliTests(LiveRegistryFixture registry) : IDisposable
{
    private const string Passphrase = "interop policy passphrase";
    private readonly string repository = TestDeadline.UniqueRepository("interop/policy");
    private readonly CancellationToken cancellation = TestDeadline.Start();
    private readonly string work = Directory.CreateTempSubdirectory("bulwark-policy-cli-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static Dictionary<string, string?> WithPassphrase() => new() { ["BULWARK_KEY_PASSWORD"] = Passphrase };

    private string WritePolicy(string rules, string name = "policy.yaml")
    {
        var path = Path.Combine(work, name);
        File.WriteAllText(path, $"""
            apiVersion: bulwark.dev/v1
            kind: ImagePolicy
            metadata: {"{name: ci}"}
            spec:
              rules:
            {rules}
            """);
        return path;
    }

    private Task<ToolResult> CheckAsync(params string[] arguments) =>
        BulwarkExecutable.RunAsync(["policy", "check", .. arguments, "--db", Path.Combine(work, "no-advisories.db")], cancellation);

    [Fact]
    public async Task SignedImage_FromAnAllowedRegistry_Passes_AndAnotherKeyFails()
    {
        var (target, digest) = await PushAsync("v1", TestImages.Amd64);
        await KeygenAsync("release");
        await KeygenAsync("other");
        (await BulwarkExecutable.RunAsync(["sign", target, "--key", Path.Combine(work, "release.key")], cancellation, WithPassphrase())).AssertSucceeded();
        var policy = WritePolicy($$"""
                - name: signed
                  repositories: ["interop/**"]
                  allowedRegistries: ["{{registry.HostPort}}"]
                  requireSignature: {keys: [{name: release, keyFile: release.pub}]}
            """);

        var passed = await CheckAsync(target, "--policy", policy);
        Assert.True(passed.ExitCode == 0, passed.Describe());
        Assert.Contains($"Digest: {digest}", passed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("PASS rule signed (enforce)", passed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("signed by key 'release'", passed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Result: PASS", passed.StandardOutput, StringComparison.Ordinal);

        var json = await CheckAsync(target, "--policy", policy, "--format", "json");
        Assert.Equal(0, json.ExitCode);
        using (var report = JsonDocument.Parse(json.StandardOutput))
        {
            Assert.Equal("pass", report.RootElement.GetProperty("outcome").GetString());
            Assert.Equal(digest, report.RootElement.GetProperty("digest").GetString());
            var checks = Assert.Single(report.RootElement.GetProperty("rules").EnumerateArray()).GetProperty("checks").EnumerateArray().ToList();
            Assert.Equal(["allowedRegistries", "requireSignature"], checks.Select(c => c.GetProperty("kind").GetString()));
            Assert.True(checks[1].GetProperty("passed").GetBoolean());
        }

        var otherKey = WritePolicy("""
                - name: signed
                  repositories: ["**"]
                  requireSignature: {keys: [{name: other}]}
            """, "other.yaml");
        var failed = await CheckAsync(target, "--policy", otherKey, "--key", Path.Combine(work, "other.pub"));
        Assert.True(failed.ExitCode == 1, failed.Describe());
        Assert.Contains("FAIL rule signed (enforce)", failed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("0 of the required 1 trusted key(s) signed", failed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Result: FAIL", failed.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsignedUnscannedRootImage_FailsEnforced_AndOnlyWarnsInAudit()
    {
        var (target, _) = await PushAsync("unsigned", TestImages.Amd64);
        await KeygenAsync("release");
        var rules = """
                - name: gate
                  repositories: ["interop/**"]
                  mode: MODE
                  allowedRegistries: ["registry.example.com"]
                  requireSignature: {keys: [{name: release, keyFile: release.pub}]}
                  vulnerabilities: {maximumSeverity: high}
                  image: {noRootUser: true, maximumAgeDays: 30}
            """;

        var enforced = await CheckAsync(target, "--policy", WritePolicy(rules.Replace("MODE", "enforce", StringComparison.Ordinal)));
        Assert.True(enforced.ExitCode == 1, enforced.Describe());
        Assert.Contains($"registry {registry.HostPort} is not allowed (allowed: registry.example.com)", enforced.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("no signature found", enforced.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("the image has not been scanned yet", enforced.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("runs as root", enforced.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("built 1970-01-01", enforced.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("no advisory database", enforced.StandardError, StringComparison.Ordinal);

        var audited = await CheckAsync(target, "--policy", WritePolicy(rules.Replace("MODE", "audit", StringComparison.Ordinal)));
        Assert.True(audited.ExitCode == 0, audited.Describe());
        Assert.Contains("WARN rule gate (audit)", audited.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Result: PASS with 1 audit warning(s)", audited.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoRuleApplies_PassesWithANote()
    {
        var (target, _) = await PushAsync("v1", TestImages.Amd64);
        var result = await CheckAsync(target, "--policy", WritePolicy("""
                - {name: other-team, repositories: ["team-b/**"], image: {noRootUser: true}}
            """));
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains($"Note: no rule of policy 'ci' applies to repository '{repository}'", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalSource_HasNoSignatures_AndNeedsARepository()
    {
        var images = await TestImages.EnsureAsync(cancellation);
        await KeygenAsync("release");
        var policy = WritePolicy("""
                - name: local
                  repositories: ["app/*"]
                  requireSignature: {keys: [{name: release, keyFile: release.pub}]}
                  image: {noRootUser: true}
            """);

        var result = await CheckAsync(images.Reference(TestImages.Amd64), "--policy", policy, "--repository", "app/web");
        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Contains("no manifest digest (local source)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("runs as root", result.StandardOutput, StringComparison.Ordinal);

        var noRepository = await CheckAsync(images.Reference(TestImages.Amd64), "--policy", policy);
        Assert.Equal(2, noRepository.ExitCode);
        Assert.Contains("--repository", noRepository.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadPolicy_ListsEveryErrorAndExitsTwo()
    {
        var (target, _) = await PushAsync("v1", TestImages.Amd64);
        var policy = WritePolicy("""
                - name: a
                  repositories: ["**"]
                  vulnerabilities: {maximumSeverity: extreme}
                - name: a
                  repositories: ["bad pattern"]
                  requireSignature: {keys: [{name: k, keyFile: ../outside.pub}]}
                  colour: blue
            """);

        var result = await CheckAsync(target, "--policy", policy);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("has 5 error(s)", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("spec.rules[0].vulnerabilities.maximumSeverity: must be none, low, medium, high or critical, not 'extreme'", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("spec.rules[1].repositories[0]", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("outside the policy file's directory", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("spec.rules[1].colour: unknown key", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("duplicate rule name 'a'", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("policy.yaml:line 12, column 7: spec.rules[1].colour", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);

        var missing = await CheckAsync(target, "--policy", Path.Combine(work, "missing.yaml"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportStale_ListsOldImages_AndImagesWhoseBaseTagMoved()
    {
        var (baseTarget, baseDigest) = await PushAsync("base-1", TestImages.Amd64);
        await PushAsync("app", TestImages.Amd64);
        await AnnotateAsync("app", TestImages.Amd64, baseTarget, baseDigest);

        var before = await BulwarkExecutable.RunAsync(["report", "stale", "--days", "30", $"{registry.HostPort}/{repository}", "--format", "json"], cancellation);
        Assert.True(before.ExitCode == 0, before.Describe());
        using (var report = JsonDocument.Parse(before.StandardOutput))
        {
            var images = report.RootElement.GetProperty("images").EnumerateArray().ToList();
            Assert.Equal(["app", "base-1"], images.Select(i => i.GetProperty("tag").GetString()));
            Assert.All(images, i => Assert.True(i.GetProperty("stale").GetBoolean()));
            Assert.All(images, i => Assert.False(i.GetProperty("baseUpdated").GetBoolean()));
            Assert.Equal(2, report.RootElement.GetProperty("checked").GetInt32());
        }

        // The base tag now points to another image: the app was built on an older base.
        var (_, newBaseDigest) = await PushAsync("base-1", TestImages.Arm64);
        var after = await BulwarkExecutable.RunAsync(["report", "stale", "--days", "36500", $"{registry.HostPort}/{repository}"], cancellation);
        Assert.True(after.ExitCode == 0, after.Describe());
        Assert.Contains($"NEW-BASE  {registry.HostPort}/{repository}:app", after.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"is now {newBaseDigest} (built on {baseDigest})", after.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("STALE", after.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("0 image(s) older than 36500 days, 1 with a newer base image", after.StandardOutput, StringComparison.Ordinal);

        var other = await BulwarkExecutable.RunAsync(["report", "stale", "--days", "30", $"{registry.HostPort}/no-such-prefix"], cancellation);
        Assert.Equal(0, other.ExitCode);
        Assert.Contains("images checked: 0", other.StandardOutput, StringComparison.Ordinal);

        var bad = await BulwarkExecutable.RunAsync(["report", "stale", "--days", "0", registry.HostPort], cancellation);
        Assert.Equal(2, bad.ExitCode);
    }

    /// <summary>Re-tags the pushed image with a manifest that carries the base image annotations (as buildah writes them).</summary>
    private async Task AnnotateAsync(string tag, string image, string baseName, string baseDigest)
    {
        var images = await TestImages.EnsureAsync(cancellation);
        using var get = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{images.Layout.ManifestDigest(image)}");
        get.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await registry.Http.SendAsync(get, cancellation);
        response.EnsureSuccessStatusCode();
        var manifest = JsonNode.Parse(await response.Content.ReadAsByteArrayAsync(cancellation))!;
        manifest["annotations"] = new JsonObject
        {
            ["org.opencontainers.image.base.name"] = baseName,
            ["org.opencontainers.image.base.digest"] = baseDigest,
        };
        using var put = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{tag}")
        {
            Content = new StringContent(manifest.ToJsonString()) { Headers = { ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json") } },
        };
        (await registry.Http.SendAsync(put, cancellation)).EnsureSuccessStatusCode();
    }

    private async Task KeygenAsync(string name)
    {
        if (!File.Exists(Path.Combine(work, name + ".key")))
        {
            (await BulwarkExecutable.RunAsync(["keygen", "--out", Path.Combine(work, name)], cancellation, WithPassphrase())).AssertSucceeded();
        }
    }

    private Task<(string Target, string Digest)> PushAsync(string tag, string image) => registry.PushTestImageAsync(repository, tag, image, cancellation);
}
