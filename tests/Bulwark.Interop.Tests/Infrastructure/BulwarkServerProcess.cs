using System.Diagnostics;
using System.Text;
using Bulwark.Tests.Shared;

namespace Bulwark.Interop.Tests.Infrastructure;

/// <summary>
/// A private <c>bulwark serve</c> process on a free 127.0.0.1 port with its own data directory, for tests that change
/// server-wide state (stored policies, principals) or need the data directory afterwards; unlike
/// <see cref="LiveRegistryFixture"/> it logs no registry client in. Stopped (killed) on dispose; the data stays with the caller.
/// </summary>
public sealed class BulwarkServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private BulwarkServerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The server's own output so far, for assertion messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the server with <see cref="LiveRegistryFixture.AdminPassword"/> as the admin's password and waits until <c>/v2/</c> answers.</summary>
    public static async Task<BulwarkServerProcess> StartAsync(string data, CancellationToken cancellationToken)
    {
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { BulwarkExecutable.AssemblyPath, "serve", "--data", data, "--listen", $"127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BULWARK_ADMIN_PASSWORD"] = LiveRegistryFixture.AdminPassword;
        var server = new BulwarkServerProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        using var http = server.CreateClient(null, null);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            try
            {
                using var probe = await http.GetAsync(new Uri("/v2/", UriKind.Relative), deadline.Token);
                return server;
            }
            catch (HttpRequestException) when (!server._process.HasExited)
            {
                await Task.Delay(200, deadline.Token);
            }
            catch (Exception) when (server._process.HasExited || deadline.IsCancellationRequested)
            {
                var log = server.Log;
                await server.DisposeAsync();
                throw new InvalidOperationException($"bulwark serve did not answer on {server.Url}:\n{log}");
            }
        }
    }

    /// <summary>A client sending HTTP Basic credentials with every request, or none when <paramref name="user"/> is null.</summary>
    public HttpClient CreateClient(string? user, string? password)
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = BasicAuth.Header(user, password ?? "");
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
