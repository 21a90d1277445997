using Bulwark.Server.Configuration;

namespace Bulwark.Server.Tests;

/// <summary>Credentials must not cross a network in clear text: a non-loopback bind needs TLS or an explicit opt-out.</summary>
public sealed class ListenSecurityTests
{
    [Fact]
    public void Build_NonLoopbackPlainHttp_IsRefused()
    {
        var options = new ServerOptions { Listen = "0.0.0.0:0", Data = TempData() };
        var error = Assert.Throws<ServerConfigurationException>(() => BulwarkServer.Build(options));
        Assert.Contains("--insecure-http", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_NonLoopbackWithInsecureHttp_IsAllowed()
    {
        // Built but never started: nothing binds a non-loopback address in tests.
        await using var app = BulwarkServer.Build(new ServerOptions { Listen = "0.0.0.0:0", Data = TempData(), InsecureHttp = true });
        Assert.NotNull(app);
    }

    [Fact]
    public async Task Build_LoopbackPlainHttp_IsAllowed()
    {
        await using var app = BulwarkServer.Build(new ServerOptions { Listen = "127.0.0.1:0", Data = TempData() });
        Assert.NotNull(app);
    }

    private static string TempData() => Path.Combine(Path.GetTempPath(), "bulwark-server-tests", Guid.NewGuid().ToString("N"));
}
