using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bulwark.Identity;
using Bulwark.Identity.Principals;
using Bulwark.Identity.Tokens;
using Bulwark.Oci;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Server.Tests;

/// <summary>The Docker token flow over HTTP, token refusals, refresh tokens, throttling, public pull, and log secrecy.</summary>
public sealed class TokenFlowTests : IAsyncLifetime
{
    private const string PusherPassword = "pusher-a-password-5521";
    private readonly ConcurrentQueue<string> _logs = new();
    private LiveServer _server = null!;
    private IdentityApi _api = null!;

    public async Task InitializeAsync()
    {
        _server = await LiveServer.StartAsync(
            options => options.Identity.MaxFailedLoginsPerAccount = 3,
            builder =>
            {
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
                // Every category, including those the server keeps at Warning by default: the secrecy test reads all of them.
                builder.Configuration["Logging:LogLevel:Default"] = "Trace";
                builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
                builder.Configuration["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace";
                builder.Logging.AddProvider(new CapturingLoggerProvider(_logs));
            });
        _api = new IdentityApi(_server);
        (await _api.UserAsync("pusher-a", PusherPassword, "pusher", "team-a/*")).Dispose();
        await _server.PushImageAsync("team-b/app", "v1");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Token_GrantsIntersectionOfRequestedAndHeld_AndWorksOnlyThere()
    {
        var response = await TokenClient.GetAsync(_server, "pusher-a", PusherPassword,
            "repository:team-a/app:pull,push", "repository:team-b/app:pull", "repository:team-a/other:pull");
        var token = response.GetProperty("token").GetString()!;
        Assert.Equal(token, response.GetProperty("access_token").GetString());
        Assert.Equal(300, response.GetProperty("expires_in").GetInt32());
        var access = TokenClient.Payload(token).GetProperty("access");
        Assert.Equal(["team-a/app", "team-a/other"], access.EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(["content/read", "content/write", "metadata/read"],
            access[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()));

        using var client = TokenClient.Bearer(_server, token);
        using (var push = await client.PostAsync($"/v2/team-a/app/blobs/uploads/?digest={Digest.Compute("layer"u8)}", new ByteArrayContent("layer"u8.ToArray())))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        using var read = await client.GetAsync("/v2/team-b/app/manifests/v1");
        await ErrorAssert.HasErrorAsync(read, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Contains("scope=\"repository:team-b/app:pull\"", read.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pusher_CannotMountFromUnreadableRepository_NorSeeItInCatalog()
    {
        var layer = Encoding.UTF8.GetBytes("team-b private layer");
        (await _server.PushBlobAsync("team-b/app", layer)).EnsureSuccessStatusCode();
        using var pusher = _server.CreateClient("pusher-a", PusherPassword);
        using var mount = await pusher.PostAsync($"/v2/team-a/app/blobs/uploads/?mount={Digest.Compute(layer)}&from=team-b/app", null);
        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        using var head = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team-a/app/blobs/{Digest.Compute(layer)}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);

        await _server.PushImageAsync("team-a/app", "v1");
        using var catalog = await pusher.GetAsync("/v2/_catalog");
        var repositories = (await catalog.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("repositories").EnumerateArray().Select(r => r.GetString());
        Assert.Contains("team-a/app", repositories);
        Assert.DoesNotContain("team-b/app", repositories);

        // The same through a token: the catalog scope lists only what the principal can read.
        var token = (await TokenClient.GetAsync(_server, "pusher-a", PusherPassword, "registry:catalog:*")).GetProperty("token").GetString()!;
        using var bearer = TokenClient.Bearer(_server, token);
        var viaToken = (await bearer.GetFromJsonAsync<JsonElement>("/v2/_catalog")).GetProperty("repositories").EnumerateArray().Select(r => r.GetString());
        Assert.Equal(["team-a/app"], viaToken);
    }

    public static TheoryData<string> BadTokens() => new() { "expired", "tampered", "wrong-key", "alg-none", "wrong-audience" };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task BadToken_IsRefusedWithInvalidToken(string kind)
    {
        var key = _server.App.Services.GetRequiredService<TokenSigningKey>();
        var options = _server.App.Services.GetRequiredService<IdentityOptions>();
        var alice = new PrincipalRef(Guid.NewGuid(), PrincipalKind.User, "pusher-a");
        TokenAccess[] access = [new(TokenAccess.RepositoryType, "team-b/app", ["content/read", "metadata/read"])];
        var now = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var good = new AccessTokenIssuer(key, options, now).Issue(alice, access).Token;
        var parts = good.Split('.');
        var token = kind switch
        {
            "expired" => new AccessTokenIssuer(key, options, new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-10))).Issue(alice, access).Token,
            "tampered" => $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"exp\":", "\"exp\":1", StringComparison.Ordinal)))}.{parts[2]}",
            "wrong-key" => new AccessTokenIssuer(TokenSigningKey.Generate(), options, now).Issue(alice, access).Token,
            "alg-none" => $"{Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8)}.{parts[1]}.",
            "wrong-audience" => new AccessTokenIssuer(key, options with { Service = "another-registry" }, now).Issue(alice, access).Token,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        // The well-formed token works, so each refusal is down to the one defect.
        using (var control = TokenClient.Bearer(_server, good))
        {
            Assert.Equal(HttpStatusCode.OK, (await control.GetAsync("/v2/team-b/app/tags/list")).StatusCode);
        }

        using var client = TokenClient.Bearer(_server, token);
        using var response = await client.GetAsync("/v2/team-b/app/tags/list");
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshToken_IssuesAccessTokens_UntilRevoked()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "pusher-a",
            ["password"] = PusherPassword,
            ["client_id"] = "tests",
            ["access_type"] = "offline",
            ["scope"] = "repository:team-a/app:pull",
        });
        using var login = await _server.Anonymous.PostAsync("/auth/token", form);
        var body = await login.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var refresh = body.GetProperty("refresh_token").GetString()!;
        Assert.Equal("repository:team-a/app:content/read,metadata/read", body.GetProperty("scope").GetString());

        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(refresh)).StatusCode);
        (await _server.Client.DeleteAsync("/api/v1/users/pusher-a/refresh-tokens")).EnsureSuccessStatusCode();
        var revoked = await RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.BadRequest, revoked.StatusCode);
        Assert.Equal("invalid_grant", (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task GetToken_OfflineToken_ReturnsRefreshToken_AnonymousGetsNone()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=bulwark&offline_token=true&account=pusher-a&client_id=tests");
        request.Headers.Authorization = LiveServer.BasicAuth("pusher-a", PusherPassword);
        var body = await (await _server.Anonymous.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(body.GetProperty("refresh_token").GetString()!)).StatusCode);

        var anonymous = await _server.Anonymous.GetFromJsonAsync<JsonElement>("/auth/token?service=bulwark&offline_token=true&scope=repository:team-b/app:pull");
        Assert.False(anonymous.TryGetProperty("refresh_token", out _));
        Assert.Empty(TokenClient.Payload(anonymous.GetProperty("token").GetString()!).GetProperty("access").EnumerateArray());
    }

    [Fact]
    public async Task PublicPattern_AllowsAnonymousPullOnly()
    {
        await _server.PushImageAsync("public/base", "v1");
        await _api.PostAsync("/api/v1/public-repositories", new { pattern = "public/**" });
        var token = (await TokenClient.GetAsync(_server, null, null, "repository:public/base:pull,push")).GetProperty("token").GetString()!;
        Assert.Equal(["content/read", "metadata/read"],
            TokenClient.Payload(token).GetProperty("access")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        using var client = TokenClient.Bearer(_server, token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/public/base/manifests/v1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Anonymous.GetAsync("/v2/public/base/manifests/v1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Anonymous.PostAsync("/v2/public/base/blobs/uploads/", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Anonymous.GetAsync("/v2/team-b/app/manifests/v1")).StatusCode);
    }

    [Fact]
    public async Task FailedLogins_AreThrottledWith429AndRetryAfter_OnEveryLoginPath()
    {
        using var wrong = _server.CreateClient("pusher-a", "not-the-password-at-all");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/v2/")).StatusCode);
        }

        using var right = _server.CreateClient("pusher-a", PusherPassword);
        using var v2 = await right.GetAsync("/v2/");
        await ErrorAssert.HasErrorAsync(v2, HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
        Assert.True(int.Parse(v2.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        using var token = await right.GetAsync("/auth/token?service=bulwark");
        Assert.Equal(HttpStatusCode.TooManyRequests, token.StatusCode);
        Assert.NotNull(token.Headers.RetryAfter);

        using var api = await right.GetAsync("/api/v1/users");
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.NotNull(api.Headers.RetryAfter);

        // Another account is not affected.
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/v2/")).StatusCode);
    }

    [Fact]
    public async Task LoginFlow_NeverLogsPasswordsSecretsOrTokens()
    {
        var secrets = new List<string> { PusherPassword, LiveServer.AdminPassword, "a-wrong-password-for-logs" };
        using (var wrong = _server.CreateClient("pusher-a", "a-wrong-password-for-logs"))
        {
            await wrong.GetAsync("/v2/");
        }

        var created = await _api.PostAsync("/api/v1/service-principals", new { name = "ci-robot" });
        secrets.Add(created.GetProperty("secret").GetString()!);
        await _api.AssignAsync("ci-robot", "reader", "team-b/**");
        var robotToken = await TokenClient.GetAsync(_server, "ci-robot", secrets[^1], "repository:team-b/app:pull");
        secrets.Add(robotToken.GetProperty("token").GetString()!);
        using (var bearer = TokenClient.Bearer(_server, secrets[^1]))
        {
            (await bearer.GetAsync("/v2/team-b/app/manifests/v1")).EnsureSuccessStatusCode();
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=bulwark&offline_token=true&scope=repository:team-a/app:pull");
        request.Headers.Authorization = LiveServer.BasicAuth("pusher-a", PusherPassword);
        var offline = await (await _server.Anonymous.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        secrets.Add(offline.GetProperty("refresh_token").GetString()!);
        secrets.Add(offline.GetProperty("token").GetString()!);
        await RefreshAsync(secrets[^2]);
        await RefreshAsync("0123456789abcdef0123456789abcdef.bwk_guessed");

        Assert.NotEmpty(_logs);
        Assert.Contains(_logs, line => line.Contains("Login failed for account pusher-a", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(_logs, line => line.Contains(secret, StringComparison.Ordinal));
            // Secrets and tokens are long; a fragment would leak too.
            Assert.DoesNotContain(_logs, line => line.Contains(secret[..Math.Min(12, secret.Length)], StringComparison.Ordinal));
        }
    }

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        _server.Anonymous.PostAsync("/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = "tests",
            ["scope"] = "repository:team-a/app:pull",
        }));
}
