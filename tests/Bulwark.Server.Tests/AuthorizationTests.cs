using System.Net;
using System.Net.Http.Json;
using Bulwark.Oci;
using Bulwark.Registry.Http;
using Bulwark.Server.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace Bulwark.Server.Tests;

/// <summary>
/// Every endpoint and every /v2 operation has an authorization requirement, and each refuses a caller
/// without the permission (garnet's rule: a new command without an access-control test fails the build).
/// </summary>
public sealed class AuthorizationTests(AuthorizationTests.Fixture fixture) : IClassFixture<AuthorizationTests.Fixture>
{
    private const string OutsiderPassword = "outsider-password-9271";

    // Endpoints reachable without credentials, and why. Anything else must require authorization.
    private static readonly Dictionary<string, string> AnonymousEndpoints = new(StringComparer.Ordinal)
    {
        ["/healthz"] = "liveness probe",
        ["/readyz"] = "readiness probe",
        ["/metrics"] = "Prometheus scrape, counters only",
        ["/v2/{**path}"] = "authorized per operation by IRegistryAccessPolicy (tests below)",
        ["/auth/token"] = "the token service authenticates its own callers",
        ["/k8s/admission/validate"] = "kube-apiserver calls webhooks without Bulwark credentials; answers allow/deny per image, no content",
        ["/k8s/admission/mutate"] = "kube-apiserver calls webhooks without Bulwark credentials; answers digest pins for this registry's images",
        ["/k8s/admission/images"] = "the validating webhook's image verdicts for bulwark k8s check --server, nothing more",
    };

    // One request per /v2 operation, against a repository the outsider has no permission on.
    private static readonly Dictionary<RegistryOperation, (HttpMethod Method, string Path)> Samples = new()
    {
        [RegistryOperation.ApiVersion] = (HttpMethod.Get, "/v2/"),
        [RegistryOperation.Catalog] = (HttpMethod.Get, "/v2/_catalog"),
        [RegistryOperation.BlobRead] = (HttpMethod.Get, $"/v2/team-b/app/blobs/{Digest.Compute("x"u8)}"),
        [RegistryOperation.BlobDelete] = (HttpMethod.Delete, $"/v2/team-b/app/blobs/{Digest.Compute("x"u8)}"),
        [RegistryOperation.UploadStart] = (HttpMethod.Post, "/v2/team-b/app/blobs/uploads/"),
        [RegistryOperation.UploadChunk] = (HttpMethod.Patch, "/v2/team-b/app/blobs/uploads/0123456789abcdef"),
        [RegistryOperation.UploadComplete] = (HttpMethod.Put, $"/v2/team-b/app/blobs/uploads/0123456789abcdef?digest={Digest.Compute("x"u8)}"),
        [RegistryOperation.UploadStatus] = (HttpMethod.Get, "/v2/team-b/app/blobs/uploads/0123456789abcdef"),
        [RegistryOperation.UploadCancel] = (HttpMethod.Delete, "/v2/team-b/app/blobs/uploads/0123456789abcdef"),
        [RegistryOperation.ManifestRead] = (HttpMethod.Get, "/v2/team-b/app/manifests/latest"),
        [RegistryOperation.ManifestWrite] = (HttpMethod.Put, "/v2/team-b/app/manifests/latest"),
        [RegistryOperation.ManifestDelete] = (HttpMethod.Delete, "/v2/team-b/app/manifests/latest"),
        [RegistryOperation.TagList] = (HttpMethod.Get, "/v2/team-b/app/tags/list"),
        [RegistryOperation.Referrers] = (HttpMethod.Get, $"/v2/team-b/app/referrers/{Digest.Compute("x"u8)}"),
    };

    private LiveServer Server => fixture.Server;

    private HttpClient Outsider => fixture.Outsider;

    [Fact]
    public void EveryEndpoint_HasAnAuthorizationRequirementOrADocumentedAnonymousReason()
    {
        var endpoints = ((IEndpointRouteBuilder)Server.App).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            if (anonymous)
            {
                Assert.True(AnonymousEndpoints.ContainsKey(pattern), $"{endpoint.DisplayName} ({pattern}) allows anonymous callers without a documented reason");
            }
            else if (pattern.StartsWith("/api/v1/scans", StringComparison.Ordinal))
            {
                // Signed in, then repository permissions checked by the endpoint (the repository is a query parameter);
                // every scan endpoint's deny test is ManagementEndpoint_NonAdminForbidden_AnonymousUnauthorized.
                Assert.Contains(BulwarkAuthentication.SignedInPolicy, policies);
                Assert.True(endpoint.Metadata.GetMetadata<Bulwark.Server.Scanning.RepositoryAccess>() is not null || pattern == "/api/v1/scans",
                    $"{endpoint.DisplayName} ({pattern}) does not declare the repository permission it needs");
            }
            else if (pattern.StartsWith("/api/v1/images/", StringComparison.Ordinal))
            {
                // Image decisions: signed in, then metadata/read on the repository named in the path, checked by the endpoint.
                Assert.Contains(BulwarkAuthentication.SignedInPolicy, policies);
                Assert.NotNull(endpoint.Metadata.GetMetadata<Bulwark.Server.Scanning.RepositoryAccess>());
            }
            else if (pattern.StartsWith("/api/v1", StringComparison.Ordinal))
            {
                Assert.Contains(BulwarkAuthentication.SystemAdminPolicy, policies);
            }
            else
            {
                Assert.True(policies.Count > 0, $"{endpoint.DisplayName} ({pattern}) has no authorization requirement");
            }
        }
    }

    [Fact]
    public void EveryRegistryOperation_HasARequirementAndADenySample()
    {
        foreach (var operation in Enum.GetValues<RegistryOperation>())
        {
            _ = RegistryOperationPermissions.For(operation);
            Assert.True(Samples.TryGetValue(operation, out var sample), $"{operation} has no deny test sample");
            var path = sample.Path.Split('?')[0];
            Assert.Equal(operation, RegistryRoute.Match(sample.Method.Method, path)?.Operation);
        }
    }

    public static TheoryData<RegistryOperation> Operations() => new(Enum.GetValues<RegistryOperation>());

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task RegistryOperation_Anonymous_Is401WithBearerChallenge(RegistryOperation operation)
    {
        var (method, path) = Samples[operation];
        using var response = await Server.Anonymous.SendAsync(new HttpRequestMessage(method, path) { Content = new ByteArrayContent([]) });
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"realm=\"{Server.BaseAddress.ToString().TrimEnd('/')}/auth/token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("service=\"bulwark\"", challenge.Parameter, StringComparison.Ordinal);
        if (RegistryOperationPermissions.For(operation).RepositoryScoped)
        {
            Assert.Contains("scope=\"repository:team-b/app:", challenge.Parameter, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task RegistryOperation_PrincipalWithoutPermission_IsDenied(RegistryOperation operation)
    {
        var (method, path) = Samples[operation];
        using var response = await Outsider.SendAsync(new HttpRequestMessage(method, path) { Content = new ByteArrayContent([]) });
        if (RegistryOperationPermissions.For(operation).RepositoryScoped)
        {
            await ErrorAssert.HasErrorAsync(response, HttpStatusCode.Forbidden, "DENIED");
        }
        else
        {
            // /v2/ and the catalog only need a signed-in caller; the catalog's filtering is tested separately.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task RegistryOperation_TokenWithoutScope_Is401InsufficientScope(RegistryOperation operation)
    {
        if (!RegistryOperationPermissions.For(operation).RepositoryScoped && operation != RegistryOperation.Catalog)
        {
            return;
        }

        var token = (await TokenClient.GetAsync(Server, "outsider", OutsiderPassword, "repository:team-b/app:*")).GetProperty("token").GetString()!;
        using var client = TokenClient.Bearer(Server, token);
        var (method, path) = Samples[operation];
        using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = new ByteArrayContent([]) });
        await ErrorAssert.HasErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Contains("error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> ManagementEndpoints()
    {
        // Enumerated from a running server so that a new endpoint is covered without editing this test.
        var server = LiveServer.StartAsync().GetAwaiter().GetResult();
        try
        {
            var data = new TheoryData<string, string>();
            foreach (var endpoint in ((IEndpointRouteBuilder)server.App).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
            {
                var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
                if (pattern.StartsWith("/api/v1", StringComparison.Ordinal))
                {
                    foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
                    {
                        data.Add(method, pattern);
                    }
                }
            }

            return data;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [Theory]
    [MemberData(nameof(ManagementEndpoints))]
    public async Task ManagementEndpoint_NonAdminForbidden_AnonymousUnauthorized(string method, string pattern)
    {
        var path = pattern.Replace("{name}", "someone", StringComparison.Ordinal)
            .Replace("{id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{**path}", $"team-b/app/decisions/sha256:{new string('a', 64)}", StringComparison.Ordinal);
        Assert.DoesNotContain('{', path);
        if (path.StartsWith("/api/v1/scans", StringComparison.Ordinal))
        {
            // Scan endpoints name the image in the query; the outsider has no permission on team-b.
            path += "?repository=team-b/app&reference=latest";
        }

        HttpRequestMessage Request() => new(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };

        using var forbidden = await Outsider.SendAsync(Request());
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);

        using var anonymous = await Server.Anonymous.SendAsync(Request());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Basic");

        // A pull token of a system admin is not a management credential either.
        var pull = (await TokenClient.GetAsync(Server, "admin", LiveServer.AdminPassword, "repository:team-a/app:pull")).GetProperty("token").GetString()!;
        using var bearer = TokenClient.Bearer(Server, pull);
        using var wrongScope = await bearer.SendAsync(Request());
        Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
    }

    /// <summary>One server for the class: the tests only read, apart from the outsider created once.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public LiveServer Server { get; private set; } = null!;

        public HttpClient Outsider { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await LiveServer.StartAsync();
            Outsider = await new IdentityApi(Server).UserAsync("outsider", OutsiderPassword, "pusher", "team-a/*");
        }

        public async Task DisposeAsync()
        {
            Outsider.Dispose();
            await Server.DisposeAsync();
        }
    }
}
