using System.Collections.Concurrent;
using System.Net;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>
/// Serves files by name (<c>http://127.0.0.1:PORT/NAME</c>) with an ETag, the way the OSV bucket serves its
/// <c>all.zip</c> archives; <see cref="Truncate"/> makes it announce the whole length and close the connection halfway.
/// </summary>
internal sealed class OsvArchiveServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public OsvArchiveServer()
    {
        Url = $"http://127.0.0.1:{LoopbackPort.Free()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = ServeAsync();
    }

    public string Url { get; }

    /// <summary>When set, every response sends the full Content-Length but only half the body, then aborts.</summary>
    public bool Truncate { get; set; }

    /// <summary>Changes the ETag so that clients holding the previous one download again.</summary>
    public string ETag { get; set; } = "\"v1\"";

    public void Put(string name, byte[] content) => _files[name] = content;

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            if (!_files.TryGetValue(context.Request.Url!.AbsolutePath.TrimStart('/'), out var content))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }

            response.Headers["ETag"] = ETag;
            if (context.Request.Headers["If-None-Match"] == ETag)
            {
                response.StatusCode = 304;
                response.Close();
                return;
            }

            // Ranges are not offered: a resumed request gets the whole file again, which a client must accept.
            response.ContentType = "application/zip";
            response.ContentLength64 = content.Length;
            if (Truncate)
            {
                await response.OutputStream.WriteAsync(content.AsMemory(0, content.Length / 2));
                await response.OutputStream.FlushAsync();
                response.Abort();
                return;
            }

            await response.OutputStream.WriteAsync(content);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away.
        }
    }
}
