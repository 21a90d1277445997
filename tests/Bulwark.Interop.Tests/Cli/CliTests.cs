using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bulwark.Interop.Tests.Infrastructure;
using Bulwark.Oci;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>The <c>bulwark</c> executable itself: exit codes, configuration errors, and <c>gc</c> end to end.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("bulwark-cli-tests").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task UnknownOption_ExitsWithUsageError()
    {
        var result = await BulwarkExecutable.RunAsync(["gc", "--no-such-option"], CancellationToken.None);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MalformedListenAddress_ExitsWithUsageError()
    {
        var result = await BulwarkExecutable.RunAsync(["serve", "--data", _data, "--listen", "nonsense"], CancellationToken.None);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("host:port", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gc_DryRunListsAnOrphanBlob_ThenGcRemovesIt()
    {
        var orphan = "pushed, never referenced"u8.ToArray();
        var digest = Digest.Compute(orphan);
        await PushWithLiveServerAsync(orphan);
        var blobFile = Path.Combine(_data, "blobs", "sha256", digest.Encoded[..2], digest.Encoded);
        Assert.True(File.Exists(blobFile));

        var dry = (await BulwarkExecutable.RunAsync(["gc", "--data", _data, "--grace", "0s", "--dry-run"], CancellationToken.None))
            .AssertSucceeded();
        Assert.Contains($"blob     {digest}", dry.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("would remove", dry.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(blobFile));

        var real = (await BulwarkExecutable.RunAsync(["gc", "--data", _data, "--grace", "0s"], CancellationToken.None)).AssertSucceeded();
        Assert.Contains("removed 0 manifests, 1 repository links, 1 blobs", real.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(blobFile));
    }

    [Fact]
    public async Task Gc_BadDuration_ExitsWithUsageError()
    {
        var result = await BulwarkExecutable.RunAsync(["gc", "--data", _data, "--grace", "soon"], CancellationToken.None);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a duration", result.StandardError, StringComparison.Ordinal);
    }

    private async Task PushWithLiveServerAsync(byte[] blob)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { BulwarkExecutable.AssemblyPath, "serve", "--data", _data, "--listen", $"127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BULWARK_ADMIN_PASSWORD"] = LiveRegistryFixture.AdminPassword;

        using var server = Process.Start(start)!;
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            var credentials = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{LiveRegistryFixture.AdminUser}:{LiveRegistryFixture.AdminPassword}"));
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", credentials);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                try
                {
                    using var probe = await http.GetAsync("/v2/", deadline.Token);
                    break;
                }
                catch (HttpRequestException) when (!server.HasExited)
                {
                    await Task.Delay(200, deadline.Token);
                }
            }

            using var push = await http.PostAsync($"/v2/cli/app/blobs/uploads/?digest={Digest.Compute(blob)}", new ByteArrayContent(blob),
                deadline.Token);
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
