using System.Net.Http.Json;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Clients;

/// <summary>
/// Real clients through the Docker token flow: <c>skopeo login</c> and <c>podman login</c> as a pusher of
/// <c>team-a/*</c>, then push and pull there; the same credentials cannot read or write <c>team-b</c>.
/// </summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed class AuthorizationTests(LiveRegistryFixture registry) : IDisposable
{
    private const string Password = "team-a-pusher-password-77";
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly CancellationToken cancellation = TestDeadline.Start();
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("bulwark-auth-");

    private string AuthFile => Path.Combine(work.FullName, "auth.json");

    [Fact]
    public async Task SkopeoLogin_PusherOfTeamA_PushesAndPullsThere_ButNotInTeamB()
    {
        if (registry.Kind != RegistryKind.Bulwark)
        {
            return; // Distribution runs without authentication here; there is nothing to refuse.
        }

        var user = await CreatePusherAsync();
        var images = await TestImages.EnsureAsync(cancellation);
        await RunAsync("skopeo", "copy", "--dest-tls-verify=false", images.Reference(TestImages.Amd64), Remote("team-b", "app"));

        await RunAsync("skopeo", "login", "--tls-verify=false", "--authfile", AuthFile, "--username", user, "--password", Password, registry.HostPort);
        await RunAsync("skopeo", "copy", "--authfile", AuthFile, "--dest-tls-verify=false", images.Reference(TestImages.Amd64), Remote("team-a", "app"));
        var back = Path.Combine(work.FullName, "back");
        await RunAsync("skopeo", "copy", "--authfile", AuthFile, "--src-tls-verify=false", Remote("team-a", "app"), $"oci:{back}:v1");

        var pull = await ToolProcess.RunAsync("skopeo", ["inspect", "--authfile", AuthFile, "--tls-verify=false", Remote("team-b", "app")], cancellation);
        Assert.False(pull.Succeeded, "reading team-b must fail\n" + pull.Describe());
        var push = await ToolProcess.RunAsync("skopeo",
            ["copy", "--authfile", AuthFile, "--dest-tls-verify=false", images.Reference(TestImages.Amd64), Remote("team-b", "other")], cancellation);
        Assert.False(push.Succeeded, "writing team-b must fail\n" + push.Describe());
    }

    [Fact]
    public async Task PodmanLogin_PusherOfTeamA_CannotPullTeamB()
    {
        if (registry.Kind != RegistryKind.Bulwark)
        {
            return; // Distribution runs without authentication here; there is nothing to refuse.
        }

        var user = await CreatePusherAsync();
        var images = await TestImages.EnsureAsync(cancellation);
        await RunAsync("skopeo", "copy", "--dest-tls-verify=false", images.Reference(TestImages.Amd64), Remote("team-a", "app"));
        await RunAsync("skopeo", "copy", "--dest-tls-verify=false", images.Reference(TestImages.Amd64), Remote("team-b", "app"));

        using var storage = new ContainerStorage();
        await RunAsync("podman", [.. storage.PodmanOptions, "login", "--tls-verify=false", "--authfile", AuthFile, "--username", user, "--password", Password, registry.HostPort]);
        await RunAsync("podman", [.. storage.PodmanOptions, "pull", "--authfile", AuthFile, "--tls-verify=false", Remote("team-a", "app")[9..]]);
        var denied = await ToolProcess.RunAsync("podman",
            [.. storage.PodmanOptions, "pull", "--authfile", AuthFile, "--tls-verify=false", Remote("team-b", "app")[9..]], cancellation);
        Assert.False(denied.Succeeded, "pulling team-b must fail\n" + denied.Describe());
    }

    public void Dispose() => work.Delete(recursive: true);

    private string Remote(string team, string name) => $"docker://{registry.HostPort}/{team}-{suffix}/{name}:v1";

    private async Task<string> CreatePusherAsync()
    {
        var user = $"pusher-{suffix}";
        using var admin = registry.CreateClient(LiveRegistryFixture.AdminUser, LiveRegistryFixture.AdminPassword);
        (await admin.PostAsJsonAsync("/api/v1/users", new { name = user, password = Password }, cancellation)).EnsureSuccessStatusCode();
        using var assigned = await admin.PostAsJsonAsync("/api/v1/role-assignments", new { principal = user, role = "pusher", pattern = $"team-a-{suffix}/*" }, cancellation);
        Assert.True(assigned.IsSuccessStatusCode, await assigned.Content.ReadAsStringAsync(cancellation));
        return user;
    }

    /// <summary>Runs a client; without <c>--authfile</c> it uses the fixture's admin login (REGISTRY_AUTH_FILE).</summary>
    private async Task RunAsync(string tool, params string[] arguments)
    {
        var result = await ToolProcess.RunAsync(tool, arguments, cancellation);
        Assert.True(result.Succeeded, result.Describe() + "\n--- registry log ---\n" + registry.RecentLog);
    }
}
