using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>
/// A small registry over Kestrel on 127.0.0.1 that serves one OCI layout read-only and demands either HTTP Basic
/// or Docker token authentication (a 401 challenge naming a token realm that takes Basic credentials), with
/// blobs redirected to a storage URL as S3-backed registries do. Records the Authorization header of each request.
/// </summary>
internal sealed class AuthenticatingRegistry : IAsyncDisposable
{
    public const string User = "alice";
    public const string Password = "wonderland";
    private const string Token = "token-for-pull";
    private readonly WebApplication app;

    private AuthenticatingRegistry(WebApplication app) => this.app = app;

    public string Host => new Uri(app.Urls.First()).Authority;

    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<AuthenticatingRegistry> StartAsync(string layout, bool bearer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var registry = new AuthenticatingRegistry(app);
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));

        app.Use(async (context, next) =>
        {
            registry.Requests.Enqueue($"{context.Request.Path} {context.Request.Headers.Authorization}");
            await next();
        });
        app.MapGet("/token", (HttpContext context) =>
            context.Request.Headers.Authorization == basic && context.Request.Query["service"] == "test-registry"
                && context.Request.Query["scope"] == "repository:bulwark/debian:pull"
                ? Results.Json(new { token = Token })
                : Results.Unauthorized());
        app.MapGet("/storage/{digest}", (string digest) => Results.File(OciLayoutWriter.BlobPath(layout, digest), "application/octet-stream"));
        app.MapGet("/v2/bulwark/debian/{kind}/{reference}", (HttpContext context, string kind, string reference) =>
        {
            var expected = bearer ? "Bearer " + Token : basic;
            if (context.Request.Headers.Authorization != expected)
            {
                context.Response.Headers.WWWAuthenticate = bearer
                    ? $"Bearer realm=\"http://{registry.Host}/token\",service=\"test-registry\",scope=\"repository:bulwark/debian:pull\""
                    : "Basic realm=\"test\"";
                return Results.Unauthorized();
            }

            if (kind == "blobs")
            {
                return Results.Redirect($"/storage/{reference}");
            }

            var digest = reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference : TaggedManifest(layout, reference);
            return digest is null ? Results.NotFound() : Results.File(OciLayoutWriter.BlobPath(layout, digest), Oci.MediaTypes.OciManifest);
        });
        await app.StartAsync();
        return registry;
    }

    private static string? TaggedManifest(string layout, string tag)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        foreach (var manifest in index.RootElement.GetProperty("manifests").EnumerateArray())
        {
            if (manifest.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString() == tag)
            {
                return manifest.GetProperty("digest").GetString();
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
