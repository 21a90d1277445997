using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bulwark.Vulnerabilities.Tests.Import;

/// <summary>
/// A Kestrel server on 127.0.0.1 that serves one archive the way a bucket does: ETag, If-None-Match → 304, and
/// Range/If-Range → 206; it can cut the next response off halfway to simulate a dropped connection.
/// </summary>
internal sealed class ArchiveServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ArchiveServer(WebApplication app) => _app = app;

    public byte[] Content { get; set; } = [];

    public string ETag { get; set; } = "\"v1\"";

    public bool TruncateNext { get; set; }

    public List<string> Requests { get; } = [];

    public Uri Url { get; private set; } = null!;

    public static async Task<ArchiveServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ArchiveServer(app);
        app.MapGet("/osv/all.zip", server.ServeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address + "/osv/all.zip");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        Requests.Add($"If-None-Match={request.Headers.IfNoneMatch} Range={request.Headers.Range} If-Range={request.Headers.IfRange}");
        response.Headers.ETag = ETag;
        if (request.Headers.IfNoneMatch == ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var offset = 0;
        var range = request.Headers.Range.ToString();
        if (range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-') && request.Headers.IfRange == ETag)
        {
            offset = int.Parse(range[6..^1], System.Globalization.CultureInfo.InvariantCulture);
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {offset}-{Content.Length - 1}/{Content.Length}";
        }

        response.ContentType = "application/zip";
        response.ContentLength = Content.Length - offset;
        if (TruncateNext)
        {
            TruncateNext = false;
            await response.Body.WriteAsync(Content.AsMemory(offset, (Content.Length - offset) / 2));
            await response.Body.FlushAsync();
            context.Abort();
            return;
        }

        await response.Body.WriteAsync(Content.AsMemory(offset));
    }
}
