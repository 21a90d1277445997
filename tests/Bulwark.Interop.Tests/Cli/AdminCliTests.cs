using System.Net;
using System.Text.Json;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>
/// <c>bulwark admin …</c> as an operator runs it against a running server: users, service principals and their secrets,
/// repository tokens bound to scope maps, role assignments, public patterns and stored policies, with the exit codes and
/// messages of the failures. A private server, because these commands change server-wide state.
/// </summary>
public sealed class AdminCliTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("bulwark-admin-cli-").FullName;
    private readonly CancellationToken _cancellation = TestDeadline.Start();
    private BulwarkServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await BulwarkServerProcess.StartAsync(_data, _cancellation);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private Task<ToolResult> AdminAsync(string[] arguments, string? standardInput = null, string creds = $"{LiveRegistryFixture.AdminUser}:{LiveRegistryFixture.AdminPassword}") =>
        BulwarkExecutable.RunAsync(["admin", .. arguments, "--server", _server.Url.ToString().TrimEnd('/'), "--creds", creds], _cancellation,
            standardInput: standardInput);

    private async Task<JsonElement> AdminJsonAsync(params string[] arguments)
    {
        var result = (await AdminAsync(arguments)).AssertSucceeded();
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    /// <summary>The status of <c>GET /v2/</c> with these Basic credentials: 200 signed in, 401 refused.</summary>
    private async Task<HttpStatusCode> SignInAsync(string user, string password)
    {
        using var client = _server.CreateClient(user, password);
        using var response = await client.GetAsync(new Uri("/v2/", UriKind.Relative), _cancellation);
        return response.StatusCode;
    }

    /// <summary>The actions a token request for <paramref name="scope"/> grants (the intersection of asked and held).</summary>
    private async Task<string[]> GrantedAsync(string user, string password, string scope)
    {
        using var client = _server.CreateClient(user, password);
        using var response = await client.GetAsync(new Uri($"/auth/token?service=bulwark&scope={Uri.EscapeDataString(scope)}", UriKind.Relative), _cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(_cancellation));
        var payload = body.RootElement.GetProperty("token").GetString()!.Split('.')[1];
        var json = Convert.FromBase64String(payload.Replace('-', '+').Replace('_', '/').PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '='));
        using var claims = JsonDocument.Parse(json);
        return [.. claims.RootElement.GetProperty("access").EnumerateArray()
            .SelectMany(a => a.GetProperty("actions").EnumerateArray().Select(x => x.GetString()!))];
    }

    [Fact]
    public async Task User_CreateAssignDisableEnableSetPasswordDelete()
    {
        var created = await AdminJsonAsync("user", "create", "alice", "--generate", "--description", "release engineer");
        var password = created.GetProperty("secret").GetString()!;
        Assert.Equal("alice", created.GetProperty("principal").GetProperty("name").GetString());
        Assert.True(password.Length >= 16, password);
        Assert.Equal(HttpStatusCode.OK, await SignInAsync("alice", password));
        Assert.Empty(await GrantedAsync("alice", password, "repository:team-a/app:pull,push"));

        var assignment = await AdminJsonAsync("role", "assign", "alice", "pusher", "--pattern", "team-a/*");
        Assert.Equal("team-a/*", assignment.GetProperty("pattern").GetString());
        Assert.Equal(["content/read", "content/write", "metadata/read"], await GrantedAsync("alice", password, "repository:team-a/app:pull,push"));
        Assert.Empty(await GrantedAsync("alice", password, "repository:team-b/app:pull"));

        (await AdminAsync(["user", "disable", "alice"])).AssertSucceeded();
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync("alice", password));
        Assert.True((await AdminJsonAsync("user", "get", "alice")).GetProperty("disabled").GetBoolean());
        (await AdminAsync(["user", "enable", "alice"])).AssertSucceeded();
        Assert.Equal(HttpStatusCode.OK, await SignInAsync("alice", password));

        const string NewPassword = "a-new-password-for-alice-0915";
        (await AdminAsync(["user", "set-password", "alice"], NewPassword + "\n")).AssertSucceeded();
        Assert.Equal(HttpStatusCode.OK, await SignInAsync("alice", NewPassword));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync("alice", password));

        var weak = await AdminAsync(["user", "set-password", "alice"], "short\n");
        Assert.True(weak.ExitCode == 2, weak.Describe());
        Assert.Contains("400", weak.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("short", weak.StandardOutput + weak.StandardError.Replace("too short", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var list = await AdminJsonAsync("user", "list");
        Assert.Contains("alice", list.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("name").GetString()));
        Assert.Contains("alice", (await AdminJsonAsync("role", "list", "--principal", "alice")).ToString(), StringComparison.Ordinal);

        (await AdminAsync(["user", "delete", "alice"])).AssertSucceeded();
        var gone = await AdminAsync(["user", "get", "alice"]);
        Assert.True(gone.ExitCode == 1, gone.Describe());
        Assert.Contains("404", gone.StandardError, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync("alice", NewPassword));
    }

    [Fact]
    public async Task ServicePrincipal_RotatesTwoSecrets_AndRepositoryTokenIsItsScopeMap()
    {
        var first = await AdminJsonAsync("sp", "create", "ci-bot");
        var firstSecret = first.GetProperty("secret").GetString()!;
        var firstId = first.GetProperty("metadata").GetProperty("id").GetString()!;
        var second = await AdminJsonAsync("sp", "add-secret", "ci-bot", "--expires", DateTimeOffset.UtcNow.AddDays(30).ToString("O"));
        var secondSecret = second.GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await SignInAsync("ci-bot", firstSecret));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync("ci-bot", secondSecret));

        var third = await AdminAsync(["sp", "add-secret", "ci-bot"]);
        Assert.True(third.ExitCode == 1, third.Describe());
        Assert.Contains("409", third.StandardError, StringComparison.Ordinal);
        Assert.Contains("already has 2 active secrets", third.StandardError, StringComparison.Ordinal);

        (await AdminAsync(["sp", "remove-secret", "ci-bot", firstId])).AssertSucceeded();
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync("ci-bot", firstSecret));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync("ci-bot", secondSecret));

        var map = await AdminJsonAsync("scope-map", "create", "pull-team-c", "--rule", "team-c/**=content/read,metadata/read");
        Assert.Equal("team-c/**", map.GetProperty("rules")[0].GetProperty("pattern").GetString());
        var noMap = await AdminAsync(["token", "create", "deploy"]);
        Assert.True(noMap.ExitCode == 2, noMap.Describe());
        Assert.Contains("--scope-map is required", noMap.StandardError, StringComparison.Ordinal);

        var token = await AdminJsonAsync("token", "create", "deploy", "--scope-map", "pull-team-c");
        var tokenSecret = token.GetProperty("secret").GetString()!;
        Assert.Equal(["content/read", "metadata/read"], await GrantedAsync("deploy", tokenSecret, "repository:team-c/web/app:pull,push"));
        Assert.Empty(await GrantedAsync("deploy", tokenSecret, "repository:team-d/app:pull"));

        (await AdminAsync(["scope-map", "update", "pull-team-c", "--rule", "team-d/*=content/read"])).AssertSucceeded();
        Assert.Equal(["content/read"], await GrantedAsync("deploy", tokenSecret, "repository:team-d/app:pull"));
        var inUse = await AdminAsync(["scope-map", "delete", "pull-team-c"]);
        Assert.NotEqual(0, inUse.ExitCode);

        var badRule = await AdminAsync(["scope-map", "create", "broken", "--rule", "team-e/**"]);
        Assert.True(badRule.ExitCode == 2, badRule.Describe());
        Assert.Contains("PATTERN=ACTION", badRule.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicPattern_OpensAnonymousPull_UntilRemoved()
    {
        using var anonymous = _server.CreateClient(null, null);
        async Task<HttpStatusCode> AnonymousTagsAsync()
        {
            using var response = await anonymous.GetAsync(new Uri("/v2/open/app/tags/list", UriKind.Relative), _cancellation);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await AnonymousTagsAsync());
        var pattern = await AdminJsonAsync("public", "add", "open/**");
        Assert.Equal(HttpStatusCode.NotFound, await AnonymousTagsAsync()); // allowed to look; the repository does not exist
        Assert.Contains("open/**", (await AdminJsonAsync("public", "list")).ToString(), StringComparison.Ordinal);
        (await AdminAsync(["public", "remove", pattern.GetProperty("id").GetString()!])).AssertSucceeded();
        Assert.Equal(HttpStatusCode.Unauthorized, await AnonymousTagsAsync());
    }

    [Fact]
    public async Task Policy_PutVersionsGet_AndABadDocumentListsEveryErrorAndChangesNothing()
    {
        string Write(string name, string rules)
        {
            var path = Path.Combine(_data, name);
            File.WriteAllText(path, $"""
                apiVersion: bulwark.dev/v1
                kind: ImagePolicy
                metadata: {"{name: prod}"}
                spec:
                  rules:
                {rules}
                """);
            return path;
        }

        var v1 = Write("v1.yaml", """
                - name: no-root
                  repositories: ["prod/**"]
                  image: {noRootUser: true}
            """);
        var put = await AdminJsonAsync("policy", "put", "prod", v1);
        Assert.Equal(1, put.GetProperty("version").GetInt32());
        var v2 = Write("v2.yaml", """
                - name: no-root
                  repositories: ["prod/**"]
                  mode: audit
                  image: {noRootUser: true}
            """);
        Assert.Equal(2, (await AdminJsonAsync("policy", "put", "prod", v2)).GetProperty("version").GetInt32());

        var bad = Write("bad.yaml", """
                - name: broken
                  repositories: ["prod/**"]
                  mode: sometimes
                  vulnerabilities: {maximumSeverity: apocalyptic}
            """);
        var refused = await AdminAsync(["policy", "put", "prod", bad]);
        Assert.True(refused.ExitCode == 2, refused.Describe());
        Assert.Contains("sometimes", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("apocalyptic", refused.StandardError, StringComparison.Ordinal);

        var versions = await AdminJsonAsync("policy", "versions", "prod");
        Assert.Equal([2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        var inForce = await AdminJsonAsync("policy", "get", "prod");
        Assert.Equal(2, inForce.GetProperty("version").GetInt32());
        Assert.Contains("mode: audit", inForce.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("mode: audit", (await AdminJsonAsync("policy", "get", "prod", "--version", "1")).GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("prod", (await AdminJsonAsync("policy", "list")).ToString(), StringComparison.Ordinal);

        var missing = await AdminAsync(["policy", "put", "prod", Path.Combine(_data, "no-such.yaml")]);
        Assert.True(missing.ExitCode == 2, missing.Describe());
        Assert.Contains("does not exist", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongCredentials_NonAdmin_AndPlainHttpElsewhere_AreRefusedWithoutEchoingTheSecret()
    {
        const string Wrong = "definitely-not-the-admin-password";
        var refused = await AdminAsync(["user", "list"], creds: $"admin:{Wrong}");
        Assert.True(refused.ExitCode == 1, refused.Describe());
        Assert.Contains("401", refused.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, refused.StandardOutput + refused.StandardError, StringComparison.Ordinal);

        var bob = (await AdminJsonAsync("user", "create", "bob", "--generate")).GetProperty("secret").GetString()!;
        var notAdmin = await AdminAsync(["user", "list"], creds: $"bob:{bob}");
        Assert.True(notAdmin.ExitCode == 1, notAdmin.Describe());
        Assert.Contains("403", notAdmin.StandardError, StringComparison.Ordinal);

        var remote = await BulwarkExecutable.RunAsync(["admin", "user", "list", "--server", "http://registry.example.com", "--creds", $"admin:{Wrong}"], _cancellation);
        Assert.True(remote.ExitCode == 2, remote.Describe());
        Assert.Contains("plain HTTP", remote.StandardError, StringComparison.Ordinal);

        var noCreds = await BulwarkExecutable.RunAsync(["admin", "user", "list", "--server", _server.Url.ToString()], _cancellation,
            environment: new Dictionary<string, string?> { ["BULWARK_ADMIN_PASSWORD"] = null });
        Assert.True(noCreds.ExitCode == 2, noCreds.Describe());
        Assert.Contains("--creds", noCreds.StandardError, StringComparison.Ordinal);
    }
}
