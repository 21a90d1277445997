using System.Net;
using Bulwark.Audit;
using Bulwark.Audit.Records;
using Bulwark.Server.Policy;
using Bulwark.Server.Scanning;
using Bulwark.Server.Tests.Scanning;
using Bulwark.Tests.Shared;
using Bulwark.Vulnerabilities.Advisories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Bulwark.Server.Tests.Policy.PolicyTestApi;

namespace Bulwark.Server.Tests.Policy;

/// <summary>
/// Quarantine in the registry against a live server: images pushed while a policy is stored can be pulled only by
/// quarantine readers and system admins until their scan has completed and their decision is <c>pass</c>.
/// </summary>
public sealed class QuarantineTests : IDisposable
{
    private const string Password = "quarantine-test-password-77";
    private readonly string _advisories = Path.Combine(Path.GetTempPath(), "bulwark-quarantine-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_advisories))
        {
            Directory.Delete(_advisories, recursive: true);
        }
    }

    [Fact]
    public async Task PushedImage_IsHeldUntilItsScanPasses_OnlyQuarantineReadersAndAdminsPullBefore()
    {
        HeldScanner? held = null;
        await using var server = await LiveServer.StartAsync(ScanTestImages.Configure, builder =>
            builder.Services.AddSingleton<IImageScanner>(sp => held = new HeldScanner(sp.GetRequiredService<AdvisoryStore>(), sp.GetRequiredService<TimeProvider>())));
        var identity = new IdentityApi(server);
        using var pusher = await identity.UserAsync("pusher", Password, "pusher", "team/*");
        using var reader = await identity.UserAsync("reader", Password, "reader", "team/*");
        using var scanner = await identity.UserAsync("scanner", Password, "quarantine-reader", "team/*");
        using (var put = await PutPolicyAsync(server.Client, "prod", VulnerabilityPolicy("prod")))
        {
            await JsonAsync(put, HttpStatusCode.Created);
        }

        var (digest, layer) = await PushAsync(pusher, "team/app", "1.0", ScanTestImages.DebianLayer("held"));

        // Pending: the pusher cannot read its own image, by tag or digest, GET or HEAD, nor its layer.
        using (var byTag = await PullAsync(pusher, "team/app", "1.0"))
        {
            await AssertQuarantinedAsync(byTag, "pending", "scan not finished");
        }

        using (var byDigest = await PullAsync(pusher, "team/app", digest.ToString()))
        {
            await AssertQuarantinedAsync(byDigest, "pending", "scan not finished");
        }

        using (var head = await PullAsync(pusher, "team/app", "1.0", HttpMethod.Head))
        {
            Assert.Equal(HttpStatusCode.Forbidden, head.StatusCode);
        }

        using (var blob = await pusher.GetAsync($"/v2/team/app/blobs/{layer}"))
        {
            await AssertQuarantinedAsync(blob, "pending", "scan not finished");
        }

        // A HEAD of a blob says only that it exists (push clients ask it before uploading): not held.
        using (var probe = await pusher.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/app/blobs/{layer}")))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }

        using (var denied = await PullAsync(reader, "team/app", "1.0"))
        {
            await AssertQuarantinedAsync(denied, "pending", "scan not finished");
        }

        // A quarantine reader (Basic, and with an ordinary pull token) and the system admin can.
        using (var allowed = await PullAsync(scanner, "team/app", "1.0"))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var token = (await TokenClient.GetAsync(server, "scanner", Password, "repository:team/app:pull")).GetProperty("token").GetString()!;
        using (var bearer = TokenClient.Bearer(server, token))
        using (var allowed = await PullAsync(bearer, "team/app", "1.0"))
        using (var layerBytes = await bearer.GetAsync($"/v2/team/app/blobs/{layer}"))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal(HttpStatusCode.OK, layerBytes.StatusCode);
        }

        using (var admin = await PullAsync(server.Client, "team/app", "1.0"))
        {
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        }

        // The pusher's own pull token does not carry quarantine/read.
        var pusherToken = (await TokenClient.GetAsync(server, "pusher", Password, "repository:team/app:pull,push")).GetProperty("token").GetString()!;
        using (var bearer = TokenClient.Bearer(server, pusherToken))
        using (var denied = await PullAsync(bearer, "team/app", "1.0"))
        {
            await AssertQuarantinedAsync(denied, "pending", "scan not finished");
        }

        held!.Release();
        var decision = await WaitForDecisionAsync(reader, "team/app", digest, "pass");
        Assert.False(decision.GetProperty("quarantined").GetBoolean());
        Assert.Equal("prod@1", decision.GetProperty("current").GetProperty("policy").GetString());
        Assert.Equal(["pass", "pending"], decision.GetProperty("history").EnumerateArray().Select(d => d.GetProperty("status").GetString()!));

        using (var pulled = await PullAsync(pusher, "team/app", "1.0"))
        using (var blob = await reader.GetAsync($"/v2/team/app/blobs/{layer}"))
        {
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
        }

        // Every decision is audited, by the system, with its status.
        var records = await AuditRecordsAsync(server, new AuditQuery { Action = AuditActions.PolicyDecision, Target = $"team/app@{digest}" }, 2);
        Assert.Equal(["pass", "pending"], records.Select(r => r.Details!["status"]));
        Assert.All(records, r => Assert.Equal(AuditActorKind.System, r.Actor.Kind));
        var update = Assert.Single(await AuditRecordsAsync(server, new AuditQuery { Action = AuditActions.PolicyUpdate }, 1));
        Assert.Equal("admin", update.Actor.Id);
        Assert.Equal("1", update.Details!["version"]);
        Assert.StartsWith("sha256:", update.Details["contentHash"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdvisoryUpdate_QuarantinesAPassingImage_ReaderGetsTheReasons_QuarantineReaderStillPulls()
    {
        await using var server = await LiveServer.StartAsync(ScanTestImages.Configure);
        var identity = new IdentityApi(server);
        using var reader = await identity.UserAsync("reader", Password, "reader", "team/*");
        using var scanner = await identity.UserAsync("scanner", Password, "quarantine-reader", "team/**");
        using (var put = await PutPolicyAsync(server.Client, "prod", VulnerabilityPolicy("prod")))
        {
            await JsonAsync(put, HttpStatusCode.Created);
        }

        // No advisory yet: nothing above high, so the image passes and the reader can pull it.
        var (digest, _) = await PushAsync(server.Client, "team/app", "1.0", ScanTestImages.DebianLayer("requarantined"));
        await WaitForDecisionAsync(reader, "team/app", digest, "pass");
        using (var pulled = await PullAsync(reader, "team/app", "1.0"))
        {
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        // A critical zlib advisory arrives: the re-match re-evaluates every decided image before the update returns.
        ScanTestImages.WriteDebianAdvisory(Path.Combine(_advisories, "a"), "DSA-9001-1", "CVE-2099-1001", "zlib", "1:1.2.13.dfsg-1+deb12u1",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        await ScanTestImages.UpdateAdvisoriesAsync(server, "test-a", Path.Combine(_advisories, "a"));
        var decision = (await DecisionAsync(reader, "team/app", digest))!.Value;
        Assert.True(decision.GetProperty("quarantined").GetBoolean());
        Assert.Equal(["fail", "pass", "pending"], decision.GetProperty("history").EnumerateArray().Select(d => d.GetProperty("status").GetString()!));
        using (var denied = await PullAsync(reader, "team/app", "1.0"))
        {
            var reasons = await AssertQuarantinedAsync(denied, "fail", "CVE-2099-1001");
            Assert.All(reasons, r => Assert.StartsWith("prod: no-critical: ", r, StringComparison.Ordinal));
        }

        using (var allowed = await PullAsync(scanner, "team/app", "1.0"))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        // A failing image pushed now is held from the start, with the same reasons once scanned.
        var (second, _) = await PushAsync(server.Client, "team/app", "2.0", ScanTestImages.DebianLayer("fails-at-once"));
        await WaitForDecisionAsync(reader, "team/app", second, "fail");
        using (var denied = await PullAsync(reader, "team/app", "2.0"))
        {
            await AssertQuarantinedAsync(denied, "fail", "CVE-2099-1001");
        }
    }

    [Fact]
    public async Task ReevaluateOnUpdateOff_APassingImageStaysReleased()
    {
        await using var server = await LiveServer.StartAsync(o =>
        {
            ScanTestImages.Configure(o);
            o.Policy.ReevaluateOnUpdate = false;
        });
        using (var put = await PutPolicyAsync(server.Client, "prod", VulnerabilityPolicy("prod")))
        {
            await JsonAsync(put, HttpStatusCode.Created);
        }

        var (digest, _) = await PushAsync(server.Client, "team/app", "1.0", ScanTestImages.DebianLayer("kept"));
        await WaitForDecisionAsync(server.Client, "team/app", digest, "pass");
        ScanTestImages.WriteDebianAdvisory(Path.Combine(_advisories, "a"), "DSA-9001-1", "CVE-2099-1001", "zlib", "1:1.2.13.dfsg-1+deb12u1",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        await ScanTestImages.UpdateAdvisoriesAsync(server, "test-a", Path.Combine(_advisories, "a"));
        var decision = (await DecisionAsync(server.Client, "team/app", digest))!.Value;
        Assert.Equal("pass", decision.GetProperty("current").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AllowlistedAdvisory_PassesUntilItsExpiry_ThenBlocksAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await LiveServer.StartAsync(ScanTestImages.Configure, builder => builder.Services.AddSingleton<TimeProvider>(time));
        using var reader = await new IdentityApi(server).UserAsync("reader", Password, "reader", "team/*");
        ScanTestImages.WriteDebianAdvisory(Path.Combine(_advisories, "a"), "DSA-9001-1", "CVE-2099-1001", "zlib", "1:1.2.13.dfsg-1+deb12u1",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        await ScanTestImages.UpdateAdvisoriesAsync(server, "test-a", Path.Combine(_advisories, "a"));
        using (var put = await PutPolicyAsync(server.Client, "prod",
            VulnerabilityPolicy("prod", allow: "{id: CVE-2099-1001, reason: \"zlib is not reachable\", expires: 2026-03-10}")))
        {
            await JsonAsync(put, HttpStatusCode.Created);
        }

        var (digest, _) = await PushAsync(server.Client, "team/app", "1.0", ScanTestImages.DebianLayer("allowlisted"));
        await WaitForDecisionAsync(reader, "team/app", digest, "pass");
        using (var pulled = await PullAsync(reader, "team/app", "1.0"))
        {
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        // The allowance runs out; the next re-evaluation (an advisory update) holds the image again.
        time.Advance(TimeSpan.FromDays(10));
        ScanTestImages.WriteDebianAdvisory(Path.Combine(_advisories, "b"), "DSA-9003-1", "CVE-2099-1003", "unrelated", "1.0", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N");
        await ScanTestImages.UpdateAdvisoriesAsync(server, "test-b", Path.Combine(_advisories, "b"));
        using var denied = await PullAsync(reader, "team/app", "1.0");
        await AssertQuarantinedAsync(denied, "fail", "expired");
    }

    [Fact]
    public async Task BadPolicy_Is400WithEveryError_AndThePolicyInForceIsUnchanged()
    {
        await using var server = await LiveServer.StartAsync(o => o.Scanning.Enabled = false);
        using (var put = await PutPolicyAsync(server.Client, "prod", VulnerabilityPolicy("prod")))
        {
            await JsonAsync(put, HttpStatusCode.Created);
        }

        const string Bad = """
            apiVersion: bulwark.dev/v1
            kind: ImagePolicy
            metadata: {name: prod}
            spec:
              rules:
                - name: broken
                  repositories: ["team/**"]
                  mode: sometimes
                  vulnerabilities: {maximumSeverity: apocalyptic}
            """;
        using (var rejected = await PutPolicyAsync(server.Client, "prod", Bad))
        {
            Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
            var problem = await JsonAsync(rejected, HttpStatusCode.BadRequest);
            var errors = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.True(errors.Count >= 2, string.Join("\n", errors));
            Assert.Contains(errors, e => e.Contains("mode", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("maximumSeverity", StringComparison.Ordinal));
        }

        using (var misnamed = await PutPolicyAsync(server.Client, "other", VulnerabilityPolicy("prod")))
        {
            var problem = await JsonAsync(misnamed, HttpStatusCode.BadRequest);
            Assert.Contains("metadata.name", problem.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        }

        using (var badName = await PutPolicyAsync(server.Client, "Prod!", VulnerabilityPolicy("Prod!")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        }

        // Still version 1; the same content again makes no new version.
        var current = await JsonAsync(await server.Client.GetAsync("/api/v1/policies/prod"), HttpStatusCode.OK);
        Assert.Equal(1, current.GetProperty("version").GetInt32());
        Assert.Equal(VulnerabilityPolicy("prod"), current.GetProperty("content").GetString());
        using (var same = await PutPolicyAsync(server.Client, "prod", VulnerabilityPolicy("prod")))
        {
            Assert.Equal(1, (await JsonAsync(same, HttpStatusCode.OK)).GetProperty("version").GetInt32());
        }

        using (var second = await PutPolicyAsync(server.Client, "prod", VulnerabilityPolicy("prod", "medium")))
        {
            Assert.Equal(2, (await JsonAsync(second, HttpStatusCode.Created)).GetProperty("version").GetInt32());
        }

        var first = await JsonAsync(await server.Client.GetAsync("/api/v1/policies/prod?version=1"), HttpStatusCode.OK);
        Assert.Equal(VulnerabilityPolicy("prod"), first.GetProperty("content").GetString());
        var list = await JsonAsync(await server.Client.GetAsync("/api/v1/policies"), HttpStatusCode.OK);
        Assert.Equal(2, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("version").GetInt32());
        var versions = await JsonAsync(await server.Client.GetAsync("/api/v1/policies/prod/versions"), HttpStatusCode.OK);
        Assert.Equal([2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/api/v1/policies/prod?version=9")).StatusCode);

        // Every change audited (the refused ones as failures); the running policy is still the last valid one.
        var records = await AuditRecordsAsync(server, new AuditQuery { Action = AuditActions.PolicyUpdate, Order = AuditOrder.OldestFirst }, 6);
        Assert.Equal([AuditOutcome.Success, AuditOutcome.Failure, AuditOutcome.Failure, AuditOutcome.Failure, AuditOutcome.Success, AuditOutcome.Success],
            records.Select(r => r.Outcome));
        var active = await server.App.Services.GetRequiredService<PolicyStore>().GetActiveAsync(default);
        Assert.Equal("prod@2", Assert.Single(active).Label);
    }

    [Fact]
    public async Task NoPolicy_NoQuarantine_AndSignaturesOfAHeldImageStayReadable()
    {
        await using var server = await LiveServer.StartAsync(o => o.Scanning.Enabled = false);
        using var pusher = await new IdentityApi(server).UserAsync("pusher", Password, "pusher", "team/*");
        var (free, _) = await PushAsync(pusher, "team/app", "1.0", ScanTestImages.DebianLayer("free"));
        using (var pulled = await PullAsync(pusher, "team/app", "1.0"))
        {
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        Assert.Null(await DecisionAsync(server.Client, "team/app", free));

        using (var put = await PutPolicyAsync(server.Client, "prod", VulnerabilityPolicy("prod")))
        {
            await JsonAsync(put, HttpStatusCode.Created);
        }

        // Scanning is off: the new image stays pending; its referrer (a signature) is not held.
        var (pending, _) = await PushAsync(pusher, "team/app", "2.0", ScanTestImages.DebianLayer("pending"));
        using (var held = await PullAsync(pusher, "team/app", "2.0"))
        {
            await AssertQuarantinedAsync(held, "pending", "scan not finished");
        }

        var (_, referrer) = await server.PushImageAsync("team/app", "sig", subject: pending.ToString(), artifactType: "application/vnd.dev.sigstore.bundle.v0.3+json");
        using (var signature = await PullAsync(pusher, "team/app", referrer.ToString()))
        {
            Assert.Equal(HttpStatusCode.OK, signature.StatusCode);
        }

        // The image pushed before any policy existed has no decision and stays readable.
        using (var older = await PullAsync(pusher, "team/app", "1.0"))
        {
            Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        }
    }

    [Fact]
    public async Task QuarantineOff_DecisionsAreKept_ButNothingIsHeld()
    {
        await using var server = await LiveServer.StartAsync(o =>
        {
            o.Scanning.Enabled = false;
            o.Policy.Quarantine = false;
        });
        using var pusher = await new IdentityApi(server).UserAsync("pusher", Password, "pusher", "team/*");
        using (var put = await PutPolicyAsync(server.Client, "prod", VulnerabilityPolicy("prod")))
        {
            await JsonAsync(put, HttpStatusCode.Created);
        }

        var (digest, _) = await PushAsync(pusher, "team/app", "1.0", ScanTestImages.DebianLayer("off"));
        using (var pulled = await PullAsync(pusher, "team/app", "1.0"))
        {
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        }

        var decision = (await DecisionAsync(pusher, "team/app", digest))!.Value;
        Assert.Equal("pending", decision.GetProperty("current").GetProperty("status").GetString());
        Assert.False(decision.GetProperty("quarantined").GetBoolean());
    }

    [Fact]
    public async Task DecisionEndpoint_NeedsMetadataReadOnTheRepository()
    {
        await using var server = await LiveServer.StartAsync(o => o.Scanning.Enabled = false);
        using var outsider = await new IdentityApi(server).UserAsync("outsider", Password, "reader", "other/*");
        using (var put = await PutPolicyAsync(server.Client, "prod", VulnerabilityPolicy("prod")))
        {
            await JsonAsync(put, HttpStatusCode.Created);
        }

        var (digest, _) = await PushAsync(server.Client, "team/app", "1.0", ScanTestImages.DebianLayer("private"));
        using var forbidden = await outsider.GetAsync($"/api/v1/images/team/app/decisions/{digest}");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var anonymous = await server.Anonymous.GetAsync($"/api/v1/images/team/app/decisions/{digest}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var malformed = await server.Client.GetAsync("/api/v1/images/team/app/decisions/not-a-digest");
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.NotNull(await DecisionAsync(server.Client, "team/app", digest));
    }

    [Fact]
    public async Task PolicyFile_IsStoredAtStart_OnlyWhenItChanged_AndABadFileStopsTheServer()
    {
        Directory.CreateDirectory(_advisories);
        var file = Path.Combine(_advisories, "policy.yaml");
        await File.WriteAllTextAsync(file, VulnerabilityPolicy("from-file"));
        var data = Path.Combine(_advisories, "data");
        await using (var server = await LiveServer.StartAsync(o => o.Policy.File = file, data: data))
        {
            var stored = await JsonAsync(await server.Client.GetAsync("/api/v1/policies/from-file"), HttpStatusCode.OK);
            Assert.Equal(1, stored.GetProperty("version").GetInt32());
            Assert.Equal("system", stored.GetProperty("createdBy").GetString());
            var record = Assert.Single(await AuditRecordsAsync(server, new AuditQuery { Action = AuditActions.PolicyUpdate }, 1));
            Assert.Equal(AuditActorKind.System, record.Actor.Kind);
            Assert.Equal("policy.file", record.Details!["source"]);
        }

        // Same content at the next start: no new version. Changed content: version 2.
        await using (var server = await LiveServer.StartAsync(o => o.Policy.File = file, data: data))
        {
            Assert.Equal(1, (await JsonAsync(await server.Client.GetAsync("/api/v1/policies/from-file"), HttpStatusCode.OK)).GetProperty("version").GetInt32());
        }

        await File.WriteAllTextAsync(file, VulnerabilityPolicy("from-file", "medium"));
        await using (var server = await LiveServer.StartAsync(o => o.Policy.File = file, data: data))
        {
            Assert.Equal(2, (await JsonAsync(await server.Client.GetAsync("/api/v1/policies/from-file"), HttpStatusCode.OK)).GetProperty("version").GetInt32());
        }

        await File.WriteAllTextAsync(file, "apiVersion: bulwark.dev/v1\nkind: ImagePolicy\nmetadata: {name: from-file}\nspec: {rules: [{name: r, repositories: [\"**\"], mode: never}]}\n");
        var error = await Assert.ThrowsAsync<Bulwark.Server.Configuration.ServerConfigurationException>(() =>
            LiveServer.StartAsync(o => o.Policy.File = file, data: Path.Combine(_advisories, "other")));
        Assert.Contains("mode", error.Message, StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task AdmissionWebhook_DeniesAQuarantinedImage_WithThePolicyReasons()
    {
        const string host = "bulwark.test:5000";
        await using var server = await LiveServer.StartAsync(o =>
        {
            ScanTestImages.Configure(o);
            o.Admission.RegistryHosts = [host];
            o.Admission.AllowedRegistries = [host];
        });
        using (var put = await PutPolicyAsync(server.Client, "prod", VulnerabilityPolicy("prod")))
        {
            await JsonAsync(put, HttpStatusCode.Created);
        }

        ScanTestImages.WriteDebianAdvisory(Path.Combine(_advisories, "a"), "DSA-9001-1", "CVE-2099-1001", "zlib", "1:1.2.13.dfsg-1+deb12u1",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        await ScanTestImages.UpdateAdvisoriesAsync(server, "test-a", Path.Combine(_advisories, "a"));
        var (digest, _) = await PushAsync(server.Client, "team/app", "1.0", ScanTestImages.DebianLayer("admission-quarantined"));
        await WaitForDecisionAsync(server.Client, "team/app", digest, "fail");

        // The webhook asks the same decision the quarantine gate enforces: the image is denied with the failing rule.
        var spec = AdmissionReviews.RestrictedPodSpec($"{host}/team/app:1.0", [$"{host}/team/app@{digest}"]);
        using var body = new ByteArrayContent(AdmissionReviews.Bytes(AdmissionReviews.Review("v1", "Pod", "pods",
            AdmissionReviews.Workload("v1", "Pod", [], "web", "shop", spec))));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await server.Anonymous.PostAsync("/k8s/admission/validate", body);
        var answer = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!;
        Assert.False(answer["allowed"]!.GetValue<bool>());
        var message = answer["status"]!["message"]!.GetValue<string>();
        Assert.Contains($"[scanPolicy] container \"init\" image \"{host}/team/app:1.0\"", message, StringComparison.Ordinal);
        Assert.Contains($"[scanPolicy] container \"app0\" image \"{host}/team/app@{digest}\"", message, StringComparison.Ordinal);
        Assert.Contains("CVE-2099-1001", message, StringComparison.Ordinal);
    }

    /// <summary>The records matching <paramref name="query"/> once there are at least <paramref name="count"/> (each is committed just after its action).</summary>
    private static async Task<IReadOnlyList<AuditRecord>> AuditRecordsAsync(LiveServer server, AuditQuery query, int count)
    {
        var audit = server.App.Services.GetRequiredService<IAuditLog>();
        var deadline = DateTime.UtcNow + ScanTestImages.Patience;
        while (true)
        {
            var records = (await audit.QueryAsync(query, default)).Records;
            if (records.Count >= count || DateTime.UtcNow > deadline)
            {
                return records;
            }

            await Task.Delay(50);
        }
    }
}
