using System.Net;
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
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var server = await BulwarkServerProcess.StartAsync(_data, deadline.Token);
        using var http = server.CreateClient(LiveRegistryFixture.AdminUser, LiveRegistryFixture.AdminPassword);
        using var push = await http.PostAsync($"/v2/cli/app/blobs/uploads/?digest={Digest.Compute(blob)}", new ByteArrayContent(blob),
            deadline.Token);
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
    }
}
