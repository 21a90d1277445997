using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Analysis.Registry;
using Bulwark.Oci;
using Bulwark.Server;
using Bulwark.Server.Configuration;
using Bulwark.Server.Scanning;
using Bulwark.Signing.Images;
using Bulwark.Signing.Keys;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

// bulwark-admission-bench [--rate 200] [--seconds 30] [--warmup 30] [--cache-seconds 5] [--signed] [--no-cache]
// Starts a Bulwark server in-process on 127.0.0.1 (SQLite, temp directory), pushes three images and records them as
// scanned, then sends validating AdmissionReviews for a pod with those three containers at a fixed rate (open loop:
// latency counts from each request's scheduled time, so a stall is not hidden) and prints p50/p90/p99/max.
// --signed: the webhook requires signatures (admission.requireSignature with a generated key) and every image is signed
// in both forms as `bulwark sign` does. --no-cache: cacheDuration 0, so every review resolves, decides and verifies afresh.
var rate = Arg("--rate", 200);
var seconds = Arg("--seconds", 30);
var warmup = Arg("--warmup", 30);
var signed = args.Contains("--signed");
var noCache = args.Contains("--no-cache");
const string Host = "bench.local:5000";
const string Password = "bench-admin-password-4711";

var data = Directory.CreateTempSubdirectory("bulwark-admission-bench-").FullName;
try
{
    var options = new ServerOptions { Listen = "127.0.0.1:0", Data = data };
    options.Identity.InitialAdminPassword = Password;
    options.Scanning.Enabled = false;
    options.Admission.RegistryHosts = [Host];
    options.Admission.AllowedRegistries = [Host];
    using var signingKey = SigningKey.Generate();
    if (signed)
    {
        var keyFile = Path.Combine(data, "bench.pub");
        await File.WriteAllTextAsync(keyFile, signingKey.PublicKey.ToPem());
        options.Admission.RequireSignature = true;
        options.Admission.SignatureKeys = [keyFile];
    }

    if (noCache)
    {
        options.Admission.CacheDuration = TimeSpan.Zero;
    }
    else if (Arg("--cache-seconds", 0) is > 0 and var cacheSeconds)
    {
        options.Admission.CacheDuration = TimeSpan.FromSeconds(cacheSeconds);
    }

    var app = BulwarkServer.Build(options, b => b.Logging.ClearProviders());
    await BulwarkServer.InitializeAsync(app, CancellationToken.None);
    await BulwarkServer.EnsureFirstAdminAsync(app, TextWriter.Null, CancellationToken.None);
    await app.StartAsync();
    var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    using var admin = new HttpClient { BaseAddress = address };
    admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{Password}")));

    var jobs = app.Services.GetRequiredService<ScanJobStore>();
    var images = new List<string>();
    foreach (var name in new[] { "shop/web", "shop/sidecar", "shop/init" })
    {
        var digest = await PushAsync(admin, name, "1.0");
        await jobs.EnqueueAsync(name, digest.ToString(), MediaTypes.OciManifest, force: false, CancellationToken.None);
        var job = await jobs.ClaimAsync("bench", CancellationToken.None) ?? throw new InvalidOperationException("no job to claim");
        await jobs.CompleteAsync(job.Id, "bench", CancellationToken.None);
        if (signed)
        {
            var reference = new ImageReference { Registry = address.Authority, Repository = name, Tag = "1.0" };
            using var http = new HttpClient();
            var registry = new RegistryClient(http, reference, new RegistrySourceOptions { Credential = new RegistryCredential("admin", Password) }, push: true);
            await ImageSigner.SignAsync(registry, reference, signingKey, CancellationToken.None);
        }

        images.Add($"{Host}/{name}:1.0@{digest}");
    }

    var review = Encoding.UTF8.GetBytes(Review(images).ToJsonString());
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = address };
    var check = await SendAsync(client, review);
    if (!check.Allowed)
    {
        throw new InvalidOperationException($"the benchmark pod is not allowed: {check.Body}");
    }

    await Console.Error.WriteLineAsync($"warming up {warmup}s, then {seconds}s at {rate} req/s against {address}k8s/admission/validate");
    await RunAsync(client, review, rate, warmup);
    // What the process did during the measured window besides answering: CPU (client and server share it), GC pauses, JIT.
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var pauseBefore = GC.GetTotalPauseDuration();
    var allocatedBefore = GC.GetTotalAllocatedBytes();
    var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var jitBefore = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
    var (latencies, errors) = await RunAsync(client, review, rate, seconds);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
        $"measured window: CPU {cpu.TotalMilliseconds / (rate * seconds):F3} ms and {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / (rate * seconds):F0} KiB allocated per review (client + server); GC gen0/1/2 {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3}, paused {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:F1} ms; JIT {System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore.Item1} methods, {(System.Runtime.JitInfo.GetCompilationTime() - jitBefore.Item2).TotalMilliseconds:F0} ms"));
    latencies.Sort();
    double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Max(0, (int)Math.Ceiling(q * latencies.Count) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| validate, pod with 3 containers (init + 2), images on this registry, {(signed ? "signatures required, " : "")}{(noCache ? "no cache" : "cached")} | {rate} req/s × {seconds}s | {latencies.Count} ok, {errors} errors | p50 {P(0.50):F2} ms | p90 {P(0.90):F2} ms | p99 {P(0.99):F2} ms | max {latencies[^1]:F2} ms |"));
    await app.StopAsync();
    await app.DisposeAsync();
    return errors == 0 ? 0 : 1;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(data, recursive: true);
}

// The sender runs on a thread of its own and sleeps until each request is due; the last fraction of a millisecond
// (below the sleep's resolution) it yields rather than spins, so that the client takes no CPU the server could use —
// kube-apiserver runs on another machine, here the two share two cores.
static async Task<(List<double> Latencies, int Errors)> RunAsync(HttpClient client, byte[] review, int rate, int seconds)
{
    var total = rate * seconds;
    var tasks = new List<Task<(double, bool)>>(total);
    var sender = new Thread(() =>
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var scheduled = start + (long)(i * (double)Stopwatch.Frequency / rate);
            for (var now = Stopwatch.GetTimestamp(); now < scheduled; now = Stopwatch.GetTimestamp())
            {
                var wait = Stopwatch.GetElapsedTime(now, scheduled);
                if (wait > TimeSpan.FromMilliseconds(1.5))
                {
                    Thread.Sleep(wait - TimeSpan.FromMilliseconds(1));
                }
                else
                {
                    Thread.Yield();
                }
            }

            tasks.Add(TimedAsync(client, review, scheduled));
        }
    })
    { IsBackground = true, Name = "bench-sender" };
    sender.Start();
    sender.Join();
    var results = await Task.WhenAll(tasks);
    return (results.Where(r => r.Item2).Select(r => r.Item1).ToList(), results.Count(r => !r.Item2));
}

static async Task<(double, bool)> TimedAsync(HttpClient client, byte[] review, long scheduled)
{
    var result = await SendAsync(client, review);
    return (Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds, result.Allowed);
}

static async Task<(bool Allowed, string Body)> SendAsync(HttpClient client, byte[] review)
{
    using var content = new ByteArrayContent(review);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    using var response = await client.PostAsync("/k8s/admission/validate", content);
    var body = await response.Content.ReadAsStringAsync();
    return (response.IsSuccessStatusCode && JsonNode.Parse(body)?["response"]?["allowed"]?.GetValue<bool>() == true, body);
}

static async Task<Digest> PushAsync(HttpClient admin, string repository, string tag)
{
    var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
    var layer = RandomNumberGenerator.GetBytes(1024);
    foreach (var blob in new[] { config, layer })
    {
        using var body = new ByteArrayContent(blob);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        (await admin.PostAsync($"/v2/{repository}/blobs/uploads/?digest={Digest.Compute(blob)}", body)).EnsureSuccessStatusCode();
    }

    var manifest = Encoding.UTF8.GetBytes($$"""
        {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
         "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{Digest.Compute(config)}}","size":{{config.Length}}},
         "layers":[{"mediaType":"{{MediaTypes.OciLayerGzip}}","digest":"{{Digest.Compute(layer)}}","size":{{layer.Length}}}]}
        """);
    using var put = new ByteArrayContent(manifest);
    put.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest);
    (await admin.PutAsync($"/v2/{repository}/manifests/{tag}", put)).EnsureSuccessStatusCode();
    return Digest.Compute(manifest);
}

static JsonObject Review(List<string> images)
{
    static JsonObject Container(string name, string image) => new()
    {
        ["name"] = name,
        ["image"] = image,
        ["securityContext"] = new JsonObject { ["allowPrivilegeEscalation"] = false, ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") } },
    };

    var pod = new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = "bench", ["namespace"] = "shop", ["labels"] = new JsonObject { ["app"] = "bench" } },
        ["spec"] = new JsonObject
        {
            ["securityContext"] = new JsonObject { ["runAsNonRoot"] = true, ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" } },
            ["initContainers"] = new JsonArray(Container("init", images[2])),
            ["containers"] = new JsonArray(Container("web", images[0]), Container("sidecar", images[1])),
        },
    };
    return new JsonObject
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = Guid.NewGuid().ToString(),
            ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
            ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
            ["namespace"] = "shop",
            ["name"] = "bench",
            ["operation"] = "CREATE",
            ["userInfo"] = new JsonObject { ["username"] = "bench" },
            ["object"] = pod,
            ["dryRun"] = false,
        },
    };
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
