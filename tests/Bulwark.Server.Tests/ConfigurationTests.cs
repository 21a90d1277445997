using System.Net;
using Bulwark.Server.Configuration;

namespace Bulwark.Server.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bulwark-config-tests").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_YamlFile_BindsNestedSettings()
    {
        var file = Path.Combine(_directory, "bulwark.yaml");
        File.WriteAllText(file, """
            listen: 127.0.0.1:6000
            data: /srv/bulwark
            database:
              provider: postgres
              connectionString: Host=db;Database=bulwark
            registry:
              maxManifestBytes: 1024
              untaggedManifestRetention: 7.00:00:00
            """);

        var options = ServerConfiguration.Load(file);

        Assert.Equal("127.0.0.1:6000", options.Listen);
        Assert.Equal("/srv/bulwark", options.Data);
        Assert.Equal("postgres", options.Database.Provider);
        Assert.Equal(1024, options.Registry.MaxManifestBytes);
        Assert.Equal(TimeSpan.FromDays(7), options.Registry.UntaggedManifestRetention);
    }

    [Fact]
    public void Load_MissingExplicitFile_IsAClearError()
    {
        var error = Assert.Throws<ServerConfigurationException>(() => ServerConfiguration.Load(Path.Combine(_directory, "absent.yaml")));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BrokenYaml_ReportsTheLine()
    {
        var file = Path.Combine(_directory, "broken.yaml");
        File.WriteAllText(file, "listen: 127.0.0.1:5000\ndata: x: y\n");
        var error = Assert.Throws<ServerConfigurationException>(() => ServerConfiguration.Load(file));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnclosedSequence_IsAClearError()
    {
        var file = Path.Combine(_directory, "unclosed.yaml");
        File.WriteAllText(file, "listen: [unclosed\ndata: x\n");
        var error = Assert.Throws<ServerConfigurationException>(() => ServerConfiguration.Load(file));
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongType_IsAClearError()
    {
        var file = Path.Combine(_directory, "typed.yaml");
        File.WriteAllText(file, "registry:\n  maxPageSize: many\n");
        Assert.Throws<ServerConfigurationException>(() => ServerConfiguration.Load(file));
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("12h", 43200)]
    [InlineData("7d", 604800)]
    [InlineData("01:00:00", 3600)]
    public void Duration_Parse_Valid(string text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), Duration.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("7w")]
    [InlineData("-1d")]
    [InlineData("soon")]
    public void Duration_Parse_Invalid(string text) => Assert.Throws<ServerConfigurationException>(() => Duration.Parse(text));

    [Theory]
    [InlineData("nohost")]
    [InlineData("example.com:5000")]
    [InlineData("127.0.0.1:99999")]
    public void ListenAddress_Invalid_IsRefused(string value) => Assert.Throws<ServerConfigurationException>(() => ListenAddress.Parse(value));

    [Fact]
    public void Build_CertificateWithoutKey_IsRefused()
    {
        var options = new ServerOptions { Listen = "127.0.0.1:0", Data = _directory, Tls = new TlsOptions { Cert = "cert.pem" } };
        Assert.Throws<ServerConfigurationException>(() => BulwarkServer.Build(options));
    }

    [Fact]
    public void Build_UnknownDatabaseProvider_IsRefused()
    {
        var oracle = new ServerOptions { Listen = "127.0.0.1:0", Data = _directory, Database = new DatabaseOptions { Provider = "oracle" } };
        var postgresWithoutConnection = new ServerOptions
        {
            Listen = "127.0.0.1:0",
            Data = _directory,
            Database = new DatabaseOptions { Provider = "postgres" },
        };
        Assert.Contains("oracle", Assert.Throws<ServerConfigurationException>(() => BulwarkServer.Build(oracle)).Message, StringComparison.Ordinal);
        Assert.Throws<ServerConfigurationException>(() => BulwarkServer.Build(postgresWithoutConnection));
    }

    [Fact]
    public async Task Serve_WithPemCertificate_SpeaksTls12OrNewer()
    {
        var tls = new SelfSignedTls(_directory);
        await using var server = await LiveServer.StartAsync(o => o.Tls = tls.Options);
        using var handler = tls.Handler();
        using var client = new HttpClient(handler) { BaseAddress = server.Client.BaseAddress };

        Assert.Equal("https", client.BaseAddress!.Scheme);
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
