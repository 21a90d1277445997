using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bulwark.Audit.Export;
using Bulwark.Audit.Records;
using Bulwark.Audit.Verification;
using Bulwark.Oci;
using Bulwark.Server.Auditing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests;

/// <summary>
/// The server writes an audit record for every authentication, token issue, push, tag move, delete, mount, admin
/// change and configuration change (and pulls when enabled), and serves them through <c>/api/v1/audit</c>.
/// </summary>
public sealed class AuditTrailTests : IAsyncLifetime
{
    private const string BobPassword = "bob-password-for-audit-71";
    private LiveServer _server = null!;
    private IdentityApi _api = null!;

    public async Task InitializeAsync()
    {
        _server = await LiveServer.StartAsync(o => o.Audit.BasicLoginInterval = TimeSpan.FromHours(1));
        _api = new IdentityApi(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Pushes_TagMoves_Deletes_AndMounts_AreRecordedWithActorAddressAndUserAgent()
    {
        _server.Client.DefaultRequestHeaders.UserAgent.ParseAdd("audit-test/1.0");
        var (firstManifest, first) = await _server.PushImageAsync("team-a/app", "v1");
        using (var byDigest = await _server.PutManifestAsync("team-a/app", first.ToString(), firstManifest, MediaTypes.OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, byDigest.StatusCode);     // by digest: a push, no tag
        }

        var (again, _) = await _server.PushImageAsync("team-a/app", "v2");
        using (await _server.PutManifestAsync("team-a/app", "v2", again, MediaTypes.OciManifest))
        {
            // Re-pushing what v2 already names moves nothing.
        }

        var (_, second) = await _server.PushImageAsync("team-a/app", "v1");  // v1 moves to another manifest

        var pushes = await QueryAsync($"action={AuditActions.RegistryPush}&order=oldest");
        Assert.Equal(5, pushes.Count);
        Assert.All(pushes, r =>
        {
            Assert.Equal("admin", r.Actor.Id);
            Assert.Equal(AuditActorKind.User, r.Actor.Kind);
            Assert.Equal("127.0.0.1", r.ClientAddress);
            Assert.Equal("audit-test/1.0", r.UserAgent);
            Assert.Equal(AuditOutcome.Success, r.Outcome);
            Assert.Equal(MediaTypes.OciManifest, r.Details!["mediaType"]);
        });
        Assert.Equal($"team-a/app@{first}", pushes[0].Target);
        Assert.Equal("v1", pushes[0].Details!["tag"]);
        Assert.False(pushes[1].Details!.ContainsKey("tag"));

        var moves = await QueryAsync($"action={AuditActions.RegistryTagMove}&order=oldest");
        Assert.Equal(["team-a/app:v1", "team-a/app:v2", "team-a/app:v1"], moves.Select(m => m.Target));
        Assert.False(moves[0].Details!.ContainsKey("from"));
        Assert.Equal(first.ToString(), moves[2].Details!["from"]);
        Assert.Equal(second.ToString(), moves[2].Details!["to"]);

        // Mount a layer into another repository, then delete a tag, a manifest and a blob.
        var layer = RandomNumberGenerator.GetBytes(64);
        (await _server.PushBlobAsync("team-a/app", layer)).EnsureSuccessStatusCode();
        using (var mount = await _server.Client.PostAsync($"/v2/team-b/app/blobs/uploads/?mount={Digest.Compute(layer)}&from=team-a/app", null))
        {
            Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await _server.Client.DeleteAsync("/v2/team-a/app/manifests/v2")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _server.Client.DeleteAsync($"/v2/team-a/app/manifests/{second}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _server.Client.DeleteAsync($"/v2/team-b/app/blobs/{Digest.Compute(layer)}")).StatusCode);

        var mounts = await QueryAsync($"action={AuditActions.RegistryMount}");
        var mounted = Assert.Single(mounts);
        Assert.Equal($"team-b/app@{Digest.Compute(layer)}", mounted.Target);
        Assert.Equal("team-a/app", mounted.Details!["from"]);

        var deletes = await QueryAsync($"action={AuditActions.RegistryDelete}&order=oldest");
        Assert.Equal(["team-a/app:v2", $"team-a/app@{second}", $"team-b/app@{Digest.Compute(layer)}"], deletes.Select(d => d.Target));
        Assert.Equal(["tag", "manifest", "blob"], deletes.Select(d => d.Details!["kind"]));
    }

    [Fact]
    public async Task Pulls_AreRecordedOnlyWhenEnabled()
    {
        var (_, digest) = await _server.PushImageAsync("team-a/app", "v1");
        (await _server.Client.GetAsync("/v2/team-a/app/manifests/v1")).EnsureSuccessStatusCode();
        Assert.Empty(await QueryAsync($"action={AuditActions.RegistryPull}"));

        await using var pulling = await LiveServer.StartAsync(o => o.Audit.Pulls = true);
        var (_, pulledDigest) = await pulling.PushImageAsync("team-a/app", "v1");
        (await pulling.Client.GetAsync("/v2/team-a/app/manifests/v1")).EnsureSuccessStatusCode();
        using (var head = new HttpRequestMessage(HttpMethod.Head, "/v2/team-a/app/manifests/v1"))
        {
            (await pulling.Client.SendAsync(head)).EnsureSuccessStatusCode();   // a HEAD is not a pull
        }

        var pulls = await QueryAsync(pulling, $"action={AuditActions.RegistryPull}");
        var pull = Assert.Single(pulls);
        Assert.Equal($"team-a/app@{pulledDigest}", pull.Target);
        Assert.Equal("v1", pull.Details!["tag"]);
        Assert.NotEqual(default, digest);
    }

    [Fact]
    public async Task Logins_FailuresAlways_BasicSuccessOncePerInterval_TokenServiceAlways()
    {
        await _api.UserAsync("bob", BobPassword, "reader", "team-a/*");
        using (var wrong = _server.CreateClient("bob", "not-bobs-password"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/v2/")).StatusCode);
        }

        using (var bob = _server.CreateClient("bob", BobPassword))
        {
            Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/v2/")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/v2/")).StatusCode);
        }

        var failures = await QueryAsync($"action={AuditActions.AuthLogin}&outcome=failure");
        var failure = Assert.Single(failures);
        Assert.Equal("bob", failure.Target);
        Assert.Equal(AuditActorKind.Anonymous, failure.Actor.Kind);
        Assert.Equal("invalid credentials", failure.Reason);
        Assert.Equal("basic", failure.Details!["method"]);

        // Successful logins and token issues are appended in the background (the response does not wait for the commit).
        var successes = await QueryUntilAsync($"action={AuditActions.AuthLogin}&outcome=success&actor=bob", 1);
        Assert.Single(successes);

        // The token service: a password grant is a login and a token issue, every time.
        for (var i = 0; i < 2; i++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["username"] = "bob",
                ["password"] = BobPassword,
                ["client_id"] = "audit-test",
                ["service"] = "bulwark",
                ["scope"] = "repository:team-a/app:pull,push",
            });
            (await _server.Anonymous.PostAsync("/auth/token", form)).EnsureSuccessStatusCode();
        }

        Assert.Equal(3, (await QueryUntilAsync($"action={AuditActions.AuthLogin}&outcome=success&actor=bob", 3)).Count);
        var issues = await QueryUntilAsync($"action={AuditActions.AuthTokenIssue}&actor=bob", 2);
        Assert.Equal(2, issues.Count);
        Assert.All(issues, issue =>
        {
            Assert.Equal("repository:team-a/app:content/read,metadata/read", issue.Target);   // the intersection: bob may not push
            Assert.Equal("repository:team-a/app:pull,push", issue.Details!["requested"]);
            Assert.Equal("audit-test", issue.Details["clientId"]);
        });
    }

    [Fact]
    public async Task ThrottledAndForgedCredentials_AreRecordedAsFailures_WithoutSecrets()
    {
        await using var server = await LiveServer.StartAsync(o => o.Identity.MaxFailedLoginsPerAccount = 2);
        using (var wrong = server.CreateClient("nobody", "wrong-password-never-logged"))
        {
            for (var i = 0; i < 3; i++)
            {
                await wrong.GetAsync("/v2/");
            }
        }

        var failures = await QueryAsync(server, $"action={AuditActions.AuthLogin}&outcome=failure&order=oldest");
        Assert.Equal(["invalid credentials", "invalid credentials", "too many failed logins (throttled)"], failures.Select(f => f.Reason));

        var token = (await TokenClient.GetAsync(_server, "admin", LiveServer.AdminPassword, "repository:team-a/app:pull")).GetProperty("token").GetString()!;
        var parts = token.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{parts[2][..^4]}AAAA";
        using (var bearer = TokenClient.Bearer(_server, forged))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/v2/team-a/app/tags/list")).StatusCode);
        }

        var bearerFailure = Assert.Single(await QueryAsync($"action={AuditActions.AuthLogin}&outcome=failure"));
        Assert.Equal("bearer", bearerFailure.Details!["method"]);
        Assert.StartsWith("access token refused: ", bearerFailure.Reason, StringComparison.Ordinal);

        var everything = await ExportAsync(server) + await ExportAsync(_server);
        Assert.DoesNotContain("wrong-password-never-logged", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(LiveServer.AdminPassword, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(parts[2], everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminChanges_AreRecorded_WithOutcome_AndDenialsOfNonAdmins()
    {
        using var bob = await _api.UserAsync("bob", BobPassword, "pusher", "team-a/*");
        using (var duplicate = await _server.Client.PostAsJsonAsync("/api/v1/users", new { name = "bob", password = BobPassword }))
        {
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        }

        using (var denied = await bob.PostAsJsonAsync("/api/v1/users", new { name = "mallory", password = "mallory-password-123" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        (await _server.Client.PatchAsJsonAsync("/api/v1/users/bob", new { disabled = true })).EnsureSuccessStatusCode();
        (await _server.Client.DeleteAsync("/api/v1/users/bob")).EnsureSuccessStatusCode();

        var creates = await QueryAsync($"action={AuditActions.AdminUserCreate}&order=oldest");
        Assert.Equal([AuditOutcome.Success, AuditOutcome.Failure, AuditOutcome.Denied], creates.Select(c => c.Outcome));
        Assert.Equal("users/bob", creates[0].Target);
        Assert.Equal("409 Conflict", creates[1].Reason);
        Assert.Equal("bob", creates[2].Actor.Id);
        Assert.Equal("403 Forbidden", creates[2].Reason);

        var assign = Assert.Single(await QueryAsync($"action={AuditActions.AdminRoleAssign}"));
        Assert.Equal("bob", assign.Details!["principal"]);
        Assert.Equal("pusher", assign.Details["role"]);
        Assert.Equal("team-a/*", assign.Details["pattern"]);
        Assert.StartsWith("role-assignments/", assign.Target, StringComparison.Ordinal);

        Assert.Equal("users/bob", Assert.Single(await QueryAsync($"action={AuditActions.AdminUserUpdate}")).Target);
        Assert.Equal("users/bob", Assert.Single(await QueryAsync($"action={AuditActions.AdminUserDelete}")).Target);

        // Secrets are never part of the record, even of a create that returned one.
        var sp = await _api.PostAsync("/api/v1/service-principals", new { name = "ci" });
        var secret = await _api.PostAsync("/api/v1/service-principals/ci/secrets", new { });
        var created = Assert.Single(await QueryAsync($"action={AuditActions.AdminSecretCreate}"));
        Assert.Equal($"service-principals/ci/secrets/{secret.GetProperty("metadata").GetProperty("id").GetString()}", created.Target);
        var export = await ExportAsync(_server);
        Assert.DoesNotContain(sp.GetProperty("secret").GetString()!, export, StringComparison.Ordinal);
        Assert.DoesNotContain(secret.GetProperty("secret").GetString()!, export, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryChangingManagementEndpoint_HasAnAuditAction()
    {
        var endpoints = ((IEndpointRouteBuilder)_server.App).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1", StringComparison.Ordinal)).ToList();
        var changing = 0;
        foreach (var endpoint in endpoints)
        {
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Where(ManagementAuditActions.IsChange))
            {
                changing++;
                var action = ManagementAuditActions.For(method, endpoint.RoutePattern.RawText);
                Assert.True(action is not null, $"{method} {endpoint.RoutePattern.RawText} has no audit action");
                Assert.Contains(action, AuditActions.All);
            }
        }

        Assert.True(changing >= 20, $"only {changing} changing endpoints found");
    }

    [Fact]
    public async Task ConfigurationChange_IsRecordedAtStart_OnlyWhenSettingsDiffer()
    {
        var data = Path.Combine(Path.GetTempPath(), "bulwark-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = await LiveServer.StartAsync(data: data))
            {
                var record = Assert.Single(await QueryAsync(first, $"action={AuditActions.ConfigChange}"));
                Assert.Equal(AuditActorKind.System, record.Actor.Kind);
                Assert.Equal("(first start)", record.Details!["changed"]);
                Assert.Contains("\"identity.initialAdminPassword\":\"set\"", record.Details["settings"], StringComparison.Ordinal);
                Assert.DoesNotContain(LiveServer.AdminPassword, record.Details["settings"], StringComparison.Ordinal);
            }

            await using (var same = await LiveServer.StartAsync(data: data))
            {
                Assert.Single(await QueryAsync(same, $"action={AuditActions.ConfigChange}"));
            }

            await using var changed = await LiveServer.StartAsync(o => o.Registry.MaxPageSize = 50, data: data);
            var records = await QueryAsync(changed, $"action={AuditActions.ConfigChange}");
            Assert.Equal(2, records.Count);
            Assert.Equal("registry.maxPageSize", records[0].Details!["changed"]);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task AuditApi_FiltersAndPages_ItemsVerifyAsAChain()
    {
        for (var i = 0; i < 5; i++)
        {
            await _server.PushImageAsync("team-a/app", $"t{i}");
        }

        var all = new List<AuditRecord>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await _server.Client.GetAsync($"/api/v1/audit/records?order=oldest&limit=3{(cursor is null ? "" : $"&cursor={cursor}")}");
            response.EnsureSuccessStatusCode();
            var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            all.AddRange(await ParseAsync(page.GetProperty("items")));
            cursor = page.GetProperty("next").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.True(pages > 3);
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(r => r.Sequence));
        var verification = await AuditChainVerifier.VerifyAsync(all.ToAsyncEnumerable(), new AuditVerificationOptions(), CancellationToken.None);
        Assert.True(verification.IsValid, verification.Finding?.ToString());

        using var head = await _server.Client.GetAsync("/api/v1/audit/head");
        var headJson = JsonDocument.Parse(await head.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(all[^1].Sequence, headJson.GetProperty("sequence").GetInt64());
        Assert.Equal(all[^1].Hash, headJson.GetProperty("hash").GetString());

        var from = Uri.EscapeDataString(all[0].Time.ToString("O"));
        Assert.Equal(5, (await QueryAsync($"action={AuditActions.RegistryPush}&actor=admin&from={from}")).Count);
        Assert.Single(await QueryAsync($"target=team-a/app:t3&action={AuditActions.RegistryTagMove}"));
        Assert.Empty(await QueryAsync($"action={AuditActions.RegistryPush}&to={Uri.EscapeDataString(all[0].Time.ToString("O"))}"));
    }

    [Theory]
    [InlineData("actorKind=robot")]
    [InlineData("outcome=maybe")]
    [InlineData("from=yesterday")]
    [InlineData("cursor=-1")]
    [InlineData("limit=0")]
    [InlineData("order=sideways")]
    public async Task AuditApi_RefusesBadFilters_WithProblemDetails(string query)
    {
        using var response = await _server.Client.GetAsync($"/api/v1/audit/records?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problems = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("problems");
        Assert.StartsWith(query.Split('=')[0] + ":", problems[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditApi_IsForSystemAdminsOnly()
    {
        using var bob = await _api.UserAsync("bob", BobPassword, "maintainer", "**");
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync("/api/v1/audit/records")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Anonymous.GetAsync("/api/v1/audit/head")).StatusCode);
    }

    [Fact]
    public async Task WholeTrail_VerifiesAfterRestart()
    {
        var data = Path.Combine(Path.GetTempPath(), "bulwark-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = await LiveServer.StartAsync(data: data))
            {
                await first.PushImageAsync("team-a/app", "v1");
            }

            await using var second = await LiveServer.StartAsync(data: data);
            await second.PushImageAsync("team-a/app", "v2");
            var verifier = second.App.Services.GetRequiredService<AuditVerifier>();
            var result = await verifier.VerifyAsync(new AuditVerificationOptions(), CancellationToken.None);
            Assert.True(result.IsValid, result.Finding?.ToString());
            Assert.True(result.Records >= 6, $"{result.Records} records");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private Task<List<AuditRecord>> QueryAsync(string query) => QueryAsync(_server, query);

    /// <summary>Queries until at least <paramref name="count"/> records match (background appends), then a little longer for extras.</summary>
    private async Task<List<AuditRecord>> QueryUntilAsync(string query, int count)
    {
        var records = await QueryAsync(query);
        for (var i = 0; i < 200 && records.Count < count; i++)
        {
            await Task.Delay(50);
            records = await QueryAsync(query);
        }

        // Anything queued together with the last expected record has been committed in the same batch by now.
        await Task.Delay(200);
        return await QueryAsync(query);
    }

    private static async Task<List<AuditRecord>> QueryAsync(LiveServer server, string query)
    {
        using var response = await server.Client.GetAsync($"/api/v1/audit/records?limit=1000&{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return await ParseAsync(JsonDocument.Parse(text).RootElement.GetProperty("items"));
    }

    private static async Task<List<AuditRecord>> ParseAsync(JsonElement items)
    {
        var lines = string.Join('\n', items.EnumerateArray().Select(i => i.GetRawText()));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(lines));
        return await AuditExportFormat.ReadRecordsAsync(stream, CancellationToken.None).ToListAsync();
    }

    private static async Task<string> ExportAsync(LiveServer server)
    {
        using var response = await server.Client.GetAsync("/api/v1/audit/records?limit=1000");
        return await response.Content.ReadAsStringAsync();
    }
}
