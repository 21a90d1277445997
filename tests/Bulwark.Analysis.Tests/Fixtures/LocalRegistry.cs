using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>A real distribution registry (Debian's <c>docker-registry</c>) on a free loopback port, anonymous.</summary>
public sealed class LocalRegistry : IAsyncLifetime
{
    private Process? process;
    private string? directory;

    public string Host { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Host = $"127.0.0.1:{port}";
        directory = Directory.CreateTempSubdirectory("bulwark-registry-").FullName;
        var config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {directory}/data
            http:
              addr: {Host}
            """);
        process = Process.Start(new ProcessStartInfo("docker-registry") { ArgumentList = { "serve", config }, RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{Host}/v2/"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (attempt < 100)
            {
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        if (directory is not null)
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
