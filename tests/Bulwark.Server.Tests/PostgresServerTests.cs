using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Audit.Records;
using Bulwark.Audit.Verification;
using Bulwark.Server.Auditing;
using Bulwark.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests;

/// <summary>
/// The whole server on PostgreSQL (<c>.ci/run</c> starts it): every component's schema — registry, identity,
/// audit — is created there, and logins, pushes, admin changes and the audit trail work as on SQLite.
/// </summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task Identity_Registry_AndAudit_WorkOnPostgres_AndSurviveRestart()
    {
        var database = "bulwark_server_" + Guid.NewGuid().ToString("N");
        var connection = TestPostgres.ConnectionString(database);
        var data = Path.Combine(Path.GetTempPath(), "bulwark-server-tests", Guid.NewGuid().ToString("N"));
        void Configure(Configuration.ServerOptions o)
        {
            o.Database.Provider = "postgres";
            o.Database.ConnectionString = connection;
        }

        try
        {
            await using (var server = await LiveServer.StartAsync(Configure, data: data))
            {
                using var alice = await new IdentityApi(server).UserAsync("alice", "alice-password-on-postgres", "pusher", "team-a/*");
                var token = await TokenClient.GetAsync(server, "alice", "alice-password-on-postgres", "repository:team-a/app:pull,push");
                var access = TokenClient.Payload(token.GetProperty("token").GetString()!).GetProperty("access")[0];
                Assert.Equal("team-a/app", access.GetProperty("name").GetString());
                await server.PushImageAsync("team-a/app", "v1");
                using (var denied = await alice.PostAsJsonAsync("/api/v1/users", new { name = "eve", password = "eve-password-12345" }))
                {
                    Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
                }
            }

            await using (var restarted = await LiveServer.StartAsync(Configure, data: data))
            {
                using var alice = restarted.CreateClient("alice", "alice-password-on-postgres");
                Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/v2/team-a/app/manifests/v1")).StatusCode);
                Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/v2/team-b/app/tags/list")).StatusCode);

                // Logins and pulls are recorded in the background: let them commit before the trail is read.
                var auditor = restarted.App.Services.GetRequiredService<RequestAuditor>();
                for (var i = 0; i < 500 && auditor.QueuedRecords > 0; i++)
                {
                    await Task.Delay(20);
                }

                var result = await restarted.App.Services.GetRequiredService<AuditVerifier>()
                    .VerifyAsync(new AuditVerificationOptions(), CancellationToken.None);
                Assert.True(result.IsValid, result.Finding?.ToString());

                // The query's own login may be recorded after the verification: compare the verified prefix only.
                using var response = await restarted.Client.GetAsync("/api/v1/audit/records?limit=1000&order=oldest");
                var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items")
                    .EnumerateArray().Where(i => i.GetProperty("sequence").GetInt64() <= result.LastSequence).ToList();
                var actions = items.Select(i => i.GetProperty("action").GetString()).ToList();
                Assert.Contains(AuditActions.AdminUserCreate, actions);
                Assert.Contains(AuditActions.AdminRoleAssign, actions);
                Assert.Contains(AuditActions.AuthTokenIssue, actions);
                Assert.Contains(AuditActions.RegistryPush, actions);
                Assert.Single(actions, a => a == AuditActions.ConfigChange);
                Assert.Contains(items, i => i.GetProperty("outcome").GetString() == "denied");
                Assert.Equal(actions.Count, result.Records);
            }
        }
        finally
        {
            await TestPostgres.DropAsync(database);
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
