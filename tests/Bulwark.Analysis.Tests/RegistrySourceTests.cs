using Bulwark.Analysis.Registry;
using Bulwark.Analysis.Tests.Fixtures;
using Bulwark.Oci;

namespace Bulwark.Analysis.Tests;

/// <summary>The registry client against a real HTTP server: Basic, Bearer tokens, redirects, credentials from auth files.</summary>
public sealed class RegistrySourceTests : IAsyncLifetime
{
    private string directory = "";
    private string layout = "";

    public async Task InitializeAsync()
    {
        directory = Directory.CreateTempSubdirectory("bulwark-registry-src-").FullName;
        var tar = Path.Combine(directory, "layer.tar");
        using (var builder = new TarBuilder())
        {
            await File.WriteAllBytesAsync(tar, builder.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
                .File("var/lib/dpkg/status", "Package: hello\nStatus: install ok installed\nVersion: 2.10-3\nArchitecture: amd64\n").ToArray());
        }

        layout = Path.Combine(directory, "layout");
        await OciLayoutWriter.WriteAsync(layout, "v1", [(tar, OciLayoutWriter.Compression.Gzip, "ADD rootfs")]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    private static RegistrySourceOptions Options(RegistryCredential? credential = null, RegistryAuthFiles? files = null) =>
        new() { Credential = credential, AuthFiles = files ?? new RegistryAuthFiles(_ => null, null) };

    private static async Task<string> AnalyzeAsync(string host, RegistrySourceOptions options)
    {
        await using var source = new RegistrySource(ImageReference.Parse($"{host}/bulwark/debian:v1"), options);
        var inventory = Assert.Single(await new ImageAnalyzer().AnalyzeAsync(source, null, CancellationToken.None));
        return string.Join(',', inventory.Packages.Select(p => $"{p.Name}@{p.Version}"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExplicitCredentials_AreUsedForBasicAndBearer(bool bearer)
    {
        await using var registry = await AuthenticatingRegistry.StartAsync(layout, bearer);

        var packages = await AnalyzeAsync(registry.Host, Options(new RegistryCredential(AuthenticatingRegistry.User, AuthenticatingRegistry.Password)));

        Assert.Equal("hello@2.10-3", packages);
        // Storage redirects never receive the registry credentials.
        Assert.All(registry.Requests.Where(r => r.StartsWith("/storage/", StringComparison.Ordinal)), r => Assert.EndsWith(" ", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CredentialsFromAnAuthFile_AreFound()
    {
        await using var registry = await AuthenticatingRegistry.StartAsync(layout, bearer: true);
        var authFile = Path.Combine(directory, "auth.json");
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{AuthenticatingRegistry.User}:{AuthenticatingRegistry.Password}"));
        await File.WriteAllTextAsync(authFile, System.Text.Json.JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [registry.Host] = new { auth = encoded } } }));
        var environment = new Dictionary<string, string> { ["REGISTRY_AUTH_FILE"] = authFile };

        var packages = await AnalyzeAsync(registry.Host, Options(files: new RegistryAuthFiles(environment.GetValueOrDefault, null)));

        Assert.Equal("hello@2.10-3", packages);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MissingOrWrongCredentials_FailWithAClearError(bool bearer)
    {
        await using var registry = await AuthenticatingRegistry.StartAsync(layout, bearer);

        var missing = await Assert.ThrowsAsync<ImageSourceException>(() => AnalyzeAsync(registry.Host, Options()));
        var wrong = await Assert.ThrowsAsync<ImageSourceException>(() => AnalyzeAsync(registry.Host, Options(new RegistryCredential("alice", "nope"))));

        Assert.Contains(bearer ? "no credentials" : "requires credentials", missing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nope", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTag_IsNotFound()
    {
        await using var registry = await AuthenticatingRegistry.StartAsync(layout, bearer: false);
        await using var source = new RegistrySource(ImageReference.Parse($"{registry.Host}/bulwark/debian:v2"),
            Options(new RegistryCredential(AuthenticatingRegistry.User, AuthenticatingRegistry.Password)));

        var error = await Assert.ThrowsAsync<ImageSourceException>(() => source.GetImagesAsync(Sources.PlatformSelection.Default, CancellationToken.None));

        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }
}
