using System.Net;

namespace Bulwark.Server.Tests;

public sealed class OperationsTests : IAsyncLifetime
{
    private LiveServer _server = null!;

    public async Task InitializeAsync() => _server = await LiveServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Healthz_AnswersOk()
    {
        using var response = await _server.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_IsReady_ThenUnavailableWhenStorageBreaks()
    {
        using (var ready = await _server.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        // Replace the upload area with a file: storage can no longer be written.
        var uploads = Path.Combine(_server.Data, "uploads");
        Directory.Delete(uploads, recursive: true);
        await File.WriteAllTextAsync(uploads, "not a directory");

        using var broken = await _server.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, broken.StatusCode);
        Assert.Contains("storage", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ExposeRequestAndRegistryInstruments()
    {
        (await _server.PushBlobAsync("app", new byte[1234])).EnsureSuccessStatusCode();
        await _server.Client.GetAsync($"/v2/app/blobs/{Oci.Digest.Compute(new byte[1234])}");

        // The Prometheus exporter caches a scrape briefly; poll until the push shows up.
        string text = string.Empty;
        for (var attempt = 0; attempt < 50 && !text.Contains("bulwark_registry_blob_sent", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(200);
            text = await _server.Client.GetStringAsync("/metrics");
        }

        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("bulwark_operation=\"BlobRead\"", text, StringComparison.Ordinal);
        Assert.Contains("bulwark_registry_blob_received_bytes_total", text, StringComparison.Ordinal);
        Assert.Contains("bulwark_registry_blob_sent_bytes_total", text, StringComparison.Ordinal);
        Assert.Contains("bulwark_registry_storage_used_bytes", text, StringComparison.Ordinal);
    }
}
