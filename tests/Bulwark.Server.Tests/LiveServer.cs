using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Oci;
using Bulwark.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bulwark.Server.Tests;

/// <summary>A real Bulwark server on 127.0.0.1 with a free port and its own temp data directory.</summary>
public sealed class LiveServer : IAsyncDisposable
{
    private readonly bool _ownsDirectory;
    private readonly Func<HttpMessageHandler>? _handler;

    /// <summary>The first-start admin's password in every test server.</summary>
    public const string AdminPassword = "test-admin-password-3141";

    private LiveServer(WebApplication app, string data, bool ownsDirectory, Func<HttpMessageHandler>? handler)
    {
        App = app;
        Data = data;
        _ownsDirectory = ownsDirectory;
        _handler = handler;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address);
        Client = CreateClient("admin", AdminPassword);
        Anonymous = NewClient();
    }

    public Uri BaseAddress { get; }

    public WebApplication App { get; }

    public string Data { get; }

    /// <summary>A client that sends the system admin's credentials (HTTP Basic) with every request.</summary>
    public HttpClient Client { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>A client that sends HTTP Basic credentials with every request.</summary>
    public HttpClient CreateClient(string user, string password)
    {
        var client = NewClient();
        client.DefaultRequestHeaders.Authorization = BasicAuth(user, password);
        return client;
    }

    // A server with a self-signed certificate needs a handler that trusts it.
    private HttpClient NewClient() => _handler is null
        ? new HttpClient { BaseAddress = BaseAddress }
        : new HttpClient(_handler(), disposeHandler: true) { BaseAddress = BaseAddress };

    public static AuthenticationHeaderValue BasicAuth(string user, string password) => Bulwark.Tests.Shared.BasicAuth.Header(user, password);

    public static async Task<LiveServer> StartAsync(Action<ServerOptions>? configure = null, Action<WebApplicationBuilder>? services = null,
        string? data = null, Func<HttpMessageHandler>? handler = null)
    {
        var ownsDirectory = data is null;
        data ??= Path.Combine(Path.GetTempPath(), "bulwark-server-tests", Guid.NewGuid().ToString("N"));
        var options = new ServerOptions { Listen = "127.0.0.1:0", Data = data };
        options.Identity.InitialAdminPassword = AdminPassword;
        configure?.Invoke(options);
        var app = BulwarkServer.Build(options, builder =>
        {
            builder.Logging.ClearProviders();
            services?.Invoke(builder);
        });
        await BulwarkServer.InitializeAsync(app, CancellationToken.None);
        await BulwarkServer.EnsureFirstAdminAsync(app, TextWriter.Null, CancellationToken.None);
        await BulwarkServer.RecordStartAsync(app, CancellationToken.None);
        await app.StartAsync();
        return new LiveServer(app, data, ownsDirectory, handler);
    }

    public async Task<HttpResponseMessage> PushBlobAsync(string repository, byte[] content)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await Client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={Digest.Compute(content)}", body);
    }

    /// <summary>Pushes a config and a random layer, then the manifest; returns the manifest bytes and digest.</summary>
    public async Task<(byte[] Manifest, Digest Digest)> PushImageAsync(string repository, string reference, string? subject = null,
        string? artifactType = null)
    {
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var layer = RandomNumberGenerator.GetBytes(512);
        (await PushBlobAsync(repository, config)).EnsureSuccessStatusCode();
        (await PushBlobAsync(repository, layer)).EnsureSuccessStatusCode();
        var extra = new StringBuilder();
        if (subject is not null)
        {
            extra.Append($",\"subject\":{{\"mediaType\":\"{MediaTypes.OciManifest}\",\"digest\":\"{subject}\",\"size\":100}}");
        }

        if (artifactType is not null)
        {
            extra.Append($",\"artifactType\":\"{artifactType}\",\"annotations\":{{\"org.example.kind\":\"{artifactType}\"}}");
        }

        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
             "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{Digest.Compute(config)}}","size":{{config.Length}}},
             "layers":[{"mediaType":"{{MediaTypes.OciLayerGzip}}","digest":"{{Digest.Compute(layer)}}","size":{{layer.Length}}}]{{extra}}}
            """);
        using var response = await PutManifestAsync(repository, reference, manifest, MediaTypes.OciManifest);
        response.EnsureSuccessStatusCode();
        return (manifest, Digest.Compute(manifest));
    }

    public async Task<HttpResponseMessage> PutManifestAsync(string repository, string reference, byte[] manifest, string mediaType)
    {
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await Client.PutAsync($"/v2/{repository}/manifests/{reference}", body);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(Data, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }
}
