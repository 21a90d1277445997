using System.Net;
using System.Text.Json;
using Bulwark.Oci;
using Bulwark.Server.Scanning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Server.Tests.Scanning;

/// <summary>Scan on push against a live server: queue, analysis from storage, findings, re-match after advisory updates.</summary>
public sealed class ScanOnPushTests : IDisposable
{
    private readonly string _advisories = Path.Combine(Path.GetTempPath(), "bulwark-scan-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_advisories))
        {
            Directory.Delete(_advisories, recursive: true);
        }
    }

    [Fact]
    public async Task PushedImage_IsScanned_FindingsAppearOnImport_AndRematchReadsNoLayer()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var events = new CapturingScanEventSink();
        await using var server = await LiveServer.StartAsync(ScanTestImages.Configure, builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Services.AddSingleton<IScanEventSink>(events);
        });

        var (digest, layer) = await ScanTestImages.PushAsync(server, "team/app", "1.0", ScanTestImages.DebianLayer("rematch"));
        var scan = await ScanTestImages.WaitForStatusAsync(server, "team/app", "1.0", "done");
        Assert.Equal(digest.ToString(), scan.GetProperty("digest").GetString());
        Assert.Equal(2, scan.GetProperty("packageCount").GetInt32());
        Assert.Equal(0, scan.GetProperty("summary").GetProperty("total").GetInt32());
        // No advisory yet: the result says so instead of a silent "0 vulnerabilities".
        Assert.Contains(scan.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("no advisor", StringComparison.OrdinalIgnoreCase)
            || w.GetString()!.Contains("empty", StringComparison.OrdinalIgnoreCase));

        // First advisory: zlib, fixed in a later Debian 12 update. The import re-matches the stored inventory.
        var firstImport = time.GetUtcNow();
        ScanTestImages.WriteDebianAdvisory(Path.Combine(_advisories, "a"), "DSA-9001-1", "CVE-2099-1001", "zlib", "1:1.2.13.dfsg-1+deb12u1",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
        var report = await ScanTestImages.UpdateAdvisoriesAsync(server, "test-a", Path.Combine(_advisories, "a"));
        Assert.Equal(1, report.GetProperty("rematch").GetProperty("images").GetInt32());
        Assert.Equal(1, report.GetProperty("rematch").GetProperty("newFindings").GetInt32());

        var findings = (await ScanTestImages.FindingsAsync(server.Client, "team/app", "1.0")).GetProperty("items");
        var zlib = Assert.Single(findings.EnumerateArray());
        Assert.Equal("CVE-2099-1001", zlib.GetProperty("id").GetString());
        Assert.Equal("zlib1g", zlib.GetProperty("package").GetString());
        Assert.Equal("critical", zlib.GetProperty("severity").GetString());
        Assert.Equal(firstImport, zlib.GetProperty("firstSeenAt").GetDateTimeOffset());
        Assert.Equal(1, (await ScanTestImages.GetScanAsync(server.Client, "team/app", "1.0")).GetProperty("summary").GetProperty("critical").GetInt32());

        // Remove the layer from storage: a re-match that read layers would now fail.
        var blobs = Path.Combine(server.Data, "blobs", "sha256");
        File.Delete(Path.Combine(blobs, layer.Encoded[..2], layer.Encoded));
        time.Advance(TimeSpan.FromHours(6));
        var secondImport = time.GetUtcNow();
        ScanTestImages.WriteDebianAdvisory(Path.Combine(_advisories, "b"), "DSA-9002-1", "CVE-2099-1002", "tar", "1.34+dfsg-1.2+deb12u2",
            "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N");
        report = await ScanTestImages.UpdateAdvisoriesAsync(server, "test-b", Path.Combine(_advisories, "b"));
        Assert.Equal(1, report.GetProperty("rematch").GetProperty("newFindings").GetInt32());
        Assert.Equal(0, report.GetProperty("rematch").GetProperty("failed").GetInt32());

        findings = (await ScanTestImages.FindingsAsync(server.Client, "team/app", "1.0")).GetProperty("items");
        Assert.Equal(2, findings.GetArrayLength());
        var byId = findings.EnumerateArray().ToDictionary(f => f.GetProperty("id").GetString()!);
        Assert.Equal(firstImport, byId["CVE-2099-1001"].GetProperty("firstSeenAt").GetDateTimeOffset());
        Assert.Equal(secondImport, byId["CVE-2099-1002"].GetProperty("firstSeenAt").GetDateTimeOffset());
        Assert.Equal("low", byId["CVE-2099-1002"].GetProperty("severity").GetString());

        // The event for the webhook issue: both updates, with the image's repository.
        Assert.Equal(["CVE-2099-1001", "CVE-2099-1002"], events.Received.SelectMany(e => e.Findings).Select(f => f.VulnerabilityId));
        Assert.All(events.Received, e => Assert.Equal(["team/app"], e.Repositories));
        Assert.Equal(secondImport, events.Received[^1].DetectedAt);

        // The zlib advisory is withdrawn from its source: the finding is closed, not deleted.
        time.Advance(TimeSpan.FromHours(1));
        File.Delete(Path.Combine(_advisories, "a", "DSA-9001-1.json"));
        report = await ScanTestImages.UpdateAdvisoriesAsync(server, "test-a", Path.Combine(_advisories, "a"));
        Assert.Equal(0, report.GetProperty("rematch").GetProperty("newFindings").GetInt32());
        var open = (await ScanTestImages.FindingsAsync(server.Client, "team/app", "1.0")).GetProperty("items");
        Assert.Equal("CVE-2099-1002", Assert.Single(open.EnumerateArray()).GetProperty("id").GetString());
        var all = (await ScanTestImages.FindingsAsync(server.Client, "team/app", "1.0", resolved: true)).GetProperty("items");
        var closed = all.EnumerateArray().Single(f => f.GetProperty("id").GetString() == "CVE-2099-1001");
        Assert.Equal(time.GetUtcNow(), closed.GetProperty("resolvedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task SameImageInTwoRepositories_IsAnalysedOnce()
    {
        await using var server = await LiveServer.StartAsync(ScanTestImages.Configure);
        var layer = ScanTestImages.DebianLayer("twice");
        var (first, _) = await ScanTestImages.PushAsync(server, "team-a/app", "1.0", layer);
        await ScanTestImages.WaitForStatusAsync(server, "team-a/app", "1.0", "done");
        var (second, _) = await ScanTestImages.PushAsync(server, "team-b/app", "2.0", layer);
        var scan = await ScanTestImages.WaitForStatusAsync(server, "team-b/app", "2.0", "done");

        Assert.Equal(first, second);
        Assert.Equal(2, scan.GetProperty("packageCount").GetInt32());
        var factory = server.App.Services.GetRequiredService<IDbContextFactory<ScanDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(1, await db.Results.CountAsync());
        Assert.Equal(2, await db.Jobs.CountAsync());
    }

    [Fact]
    public async Task HostileLayer_FailsAfterEveryAttempt_WithTheErrorText()
    {
        await using var server = await LiveServer.StartAsync(options =>
        {
            ScanTestImages.Configure(options);
            options.Scanning.MaxAttempts = 2;
        });
        await ScanTestImages.PushAsync(server, "team/hostile", "1.0", ScanTestImages.HostileLayer());

        var scan = await ScanTestImages.WaitForStatusAsync(server, "team/hostile", "1.0", "failed");
        Assert.Equal(2, scan.GetProperty("attempts").GetInt32());
        Assert.Contains("..", scan.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, scan.GetProperty("summary").ValueKind);
    }

    [Fact]
    public async Task CrashedWorker_LeaseExpires_AndTheJobIsScannedAfterRestart()
    {
        var data = Path.Combine(Path.GetTempPath(), "bulwark-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            Digest digest;
            await using (var stopped = await LiveServer.StartAsync(o => o.Scanning.Enabled = false, data: data))
            {
                (digest, _) = await ScanTestImages.PushAsync(stopped, "team/crash", "1.0", ScanTestImages.DebianLayer("crash"));

                // What a worker that died mid-scan leaves behind: scanning, one attempt used, its lease run out.
                var factory = stopped.App.Services.GetRequiredService<IDbContextFactory<ScanDbContext>>();
                await using var db = await factory.CreateDbContextAsync();
                db.Jobs.Add(new ScanJobEntity
                {
                    Repository = "team/crash",
                    ManifestDigest = digest.ToString(),
                    MediaType = MediaTypes.OciManifest,
                    Status = ScanStatus.Scanning,
                    Attempts = 1,
                    LeaseOwner = "dead-host/1/worker",
                    LeaseExpiresAt = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1),
                    NextAttemptAt = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10),
                    EnqueuedAt = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10),
                });
                await db.SaveChangesAsync();
                Assert.Equal("scanning", (await ScanTestImages.GetScanAsync(stopped.Client, "team/crash", "1.0")).GetProperty("status").GetString());
            }

            await using var restarted = await LiveServer.StartAsync(ScanTestImages.Configure, data: data);
            var scan = await ScanTestImages.WaitForStatusAsync(restarted, "team/crash", "1.0", "done");
            Assert.Equal(2, scan.GetProperty("attempts").GetInt32());
            Assert.Equal(2, scan.GetProperty("packageCount").GetInt32());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Artifacts_AreNotQueued_AndAnIndexListsItsPlatformScans()
    {
        await using var server = await LiveServer.StartAsync(ScanTestImages.Configure);
        var (image, _) = await ScanTestImages.PushAsync(server, "team/multi", "amd64", ScanTestImages.DebianLayer("index"));
        await server.PushImageAsync("team/multi", "helm", artifactType: "application/vnd.cncf.helm.config.v1+json");
        await server.PushImageAsync("team/multi", "sig", subject: image.ToString());

        var imageManifest = await (await server.Client.GetAsync($"/v2/team/multi/manifests/{image}")).Content.ReadAsByteArrayAsync();
        var index = System.Text.Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[
              {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{image}}}","size":{{{imageManifest.Length}}},"platform":{"os":"linux","architecture":"amd64"}}]}
            """);
        (await server.PutManifestAsync("team/multi", "latest", index, MediaTypes.OciIndex)).EnsureSuccessStatusCode();

        var scan = await ScanTestImages.WaitForStatusAsync(server, "team/multi", "latest", "done");
        await ScanTestImages.WaitForStatusAsync(server, "team/multi", image.ToString(), "done");
        scan = await ScanTestImages.GetScanAsync(server.Client, "team/multi", "latest");
        var platform = Assert.Single(scan.GetProperty("platforms").EnumerateArray());
        Assert.Equal(image.ToString(), platform.GetProperty("digest").GetString());
        Assert.Equal(2, scan.GetProperty("packageCount").GetInt32());

        foreach (var tag in new[] { "helm", "sig" })
        {
            using var response = await server.Client.GetAsync($"/api/v1/scans/image?repository=team/multi&reference={tag}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var findings = await server.Client.GetAsync("/api/v1/scans/image/findings?repository=team/multi&reference=latest");
        Assert.Equal(HttpStatusCode.BadRequest, findings.StatusCode);

        using var list = await server.Client.GetAsync("/api/v1/scans?repository=team/multi&status=done");
        var items = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
    }

    [Fact]
    public async Task Rescan_AnalysesAgain_AndBadRequestsAreProblems()
    {
        await using var server = await LiveServer.StartAsync(ScanTestImages.Configure);
        await ScanTestImages.PushAsync(server, "team/again", "1.0", ScanTestImages.DebianLayer("again"));
        var first = await ScanTestImages.WaitForStatusAsync(server, "team/again", "1.0", "done");

        using (var rescan = await server.Client.PostAsync("/api/v1/scans/image/rescan?repository=team/again&reference=1.0", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, rescan.StatusCode);
        }

        var deadline = DateTime.UtcNow + ScanTestImages.Patience;
        JsonElement again;
        do
        {
            await Task.Delay(100);
            again = await ScanTestImages.GetScanAsync(server.Client, "team/again", "1.0");
        }
        while (DateTime.UtcNow < deadline && (again.GetProperty("status").GetString() != "done"
            || again.GetProperty("analyzedAt").GetDateTimeOffset() == first.GetProperty("analyzedAt").GetDateTimeOffset()));
        Assert.True(again.GetProperty("analyzedAt").GetDateTimeOffset() > first.GetProperty("analyzedAt").GetDateTimeOffset());

        foreach (var (path, status) in new[]
        {
            ("/api/v1/scans/image?repository=team/again&reference=nope", HttpStatusCode.NotFound),
            ("/api/v1/scans/image?repository=team/again&reference=sha256:zz", HttpStatusCode.BadRequest),
            ("/api/v1/scans/image", HttpStatusCode.BadRequest),
            ("/api/v1/scans?status=bogus", HttpStatusCode.BadRequest),
            ("/api/v1/scans?limit=0", HttpStatusCode.BadRequest),
            ("/api/v1/scans?cursor=!!", HttpStatusCode.BadRequest),
            ("/api/v1/scans/image/sbom?repository=team/again&reference=1.0&format=xml", HttpStatusCode.BadRequest),
        })
        {
            using var response = await server.Client.GetAsync(path);
            Assert.True(status == response.StatusCode, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Inventory_AndSboms_ComeFromTheStoredInventory_AndAttachIsIdempotent()
    {
        await using var server = await LiveServer.StartAsync(ScanTestImages.Configure);
        var (digest, _) = await ScanTestImages.PushAsync(server, "team/sbom", "1.0", ScanTestImages.DebianLayer("sbom"));
        await ScanTestImages.WaitForStatusAsync(server, "team/sbom", "1.0", "done");

        var inventory = JsonDocument.Parse(await server.Client.GetStringAsync("/api/v1/scans/image/inventory?repository=team/sbom&reference=1.0")).RootElement;
        Assert.Equal(digest.ToString(), inventory.GetProperty("manifestDigest").GetString());
        Assert.Equal(["tar", "zlib1g"], inventory.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order());

        using var cyclonedx = await server.Client.GetAsync("/api/v1/scans/image/sbom?repository=team/sbom&reference=1.0");
        Assert.Equal("application/vnd.cyclonedx+json", cyclonedx.Content.Headers.ContentType?.MediaType);
        var bom = JsonDocument.Parse(await cyclonedx.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("CycloneDX", bom.GetProperty("bomFormat").GetString());
        Assert.Contains(bom.GetProperty("components").EnumerateArray(), c => c.GetProperty("name").GetString() == "zlib1g");
        var spdx = JsonDocument.Parse(await server.Client.GetStringAsync("/api/v1/scans/image/sbom?repository=team/sbom&reference=1.0&format=spdx")).RootElement;
        Assert.Equal("SPDX-2.3", spdx.GetProperty("spdxVersion").GetString());
        // Reproducible: the same image gives the same document.
        Assert.Equal(await cyclonedx.Content.ReadAsStringAsync(),
            await server.Client.GetStringAsync("/api/v1/scans/image/sbom?repository=team/sbom&reference=1.0&format=cyclonedx"));

        using var created = await server.Client.PostAsync("/api/v1/scans/image/sbom/attach?repository=team/sbom&reference=1.0", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var attached = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        using var again = await server.Client.PostAsync("/api/v1/scans/image/sbom/attach?repository=team/sbom&reference=1.0", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(attached.GetProperty("digest").GetString(),
            JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("digest").GetString());

        var referrers = JsonDocument.Parse(await server.Client.GetStringAsync($"/v2/team/sbom/referrers/{digest}")).RootElement;
        var referrer = Assert.Single(referrers.GetProperty("manifests").EnumerateArray());
        Assert.Equal(attached.GetProperty("digest").GetString(), referrer.GetProperty("digest").GetString());
        Assert.Equal("application/vnd.cyclonedx+json", referrer.GetProperty("artifactType").GetString());
        // The attached artifact is pullable and carries the same SBOM bytes.
        var artifact = JsonDocument.Parse(await server.Client.GetStringAsync($"/v2/team/sbom/manifests/{referrer.GetProperty("digest").GetString()}")).RootElement;
        var sbomDigest = artifact.GetProperty("layers")[0].GetProperty("digest").GetString();
        Assert.Equal(await cyclonedx.Content.ReadAsStringAsync(), await server.Client.GetStringAsync($"/v2/team/sbom/blobs/{sbomDigest}"));
        // An SBOM artifact is not an image: it was not queued.
        using var notQueued = await server.Client.GetAsync($"/api/v1/scans/image?repository=team/sbom&reference={referrer.GetProperty("digest").GetString()}");
        Assert.Equal(HttpStatusCode.NotFound, notQueued.StatusCode);
    }

    private sealed class CapturingScanEventSink : IScanEventSink
    {
        public List<NewFindingsEvent> Received { get; } = [];

        public Task NewFindingsAsync(NewFindingsEvent newFindings, CancellationToken cancellationToken)
        {
            lock (Received)
            {
                Received.Add(newFindings);
            }

            return Task.CompletedTask;
        }
    }
}
