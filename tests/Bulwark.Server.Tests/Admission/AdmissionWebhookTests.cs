using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Audit;
using Bulwark.Audit.Records;
using Bulwark.Oci;
using Bulwark.Server.Configuration;
using Bulwark.Server.Scanning;
using Bulwark.Server.Tests.Scanning;
using Bulwark.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests.Admission;

/// <summary>
/// AdmissionReview round trips over HTTPS against a live server, with kube-apiserver-shaped reviews for every workload
/// kind and images that really were pushed and scanned (passing), failed to scan, or never existed.
/// </summary>
public sealed class AdmissionWebhookTests(AdmissionWebhookTests.Fixture fixture) : IClassFixture<AdmissionWebhookTests.Fixture>
{
    /// <summary>The name the test cluster pulls this Bulwark by (the server does not need to answer on it).</summary>
    public const string Host = "bulwark.test:5000";

    public static TheoryData<int> KindIndexes() => new(Enumerable.Range(0, AdmissionReviews.WorkloadKinds.Count));

    [Theory]
    [MemberData(nameof(KindIndexes))]
    public async Task MutateThenValidate_EveryWorkloadKind_PinsAndAllowsPassingImages(int index)
    {
        var (apiVersion, kind, resource, path) = AdmissionReviews.WorkloadKinds[index];
        var spec = AdmissionReviews.RestrictedPodSpec($"{Host}/team/app:1.0", [$"{Host}/team/app:1.0", "registry.k8s.io/pause:3.9", $"{Host}/team/app:1.0"]);
        var obj = AdmissionReviews.Workload(apiVersion, kind, path, "web", "shop", spec);

        var mutate = await fixture.PostAsync("/k8s/admission/mutate", AdmissionReviews.Review(apiVersion, kind, resource, obj, uid: $"m-{index}"));
        Assert.Equal($"m-{index}", mutate["uid"]!.GetValue<string>());
        Assert.True(mutate["allowed"]!.GetValue<bool>());
        Assert.Equal("JSONPatch", mutate["patchType"]!.GetValue<string>());
        var patched = AdmissionReviews.ApplyPatch(obj, Convert.FromBase64String(mutate["patch"]!.GetValue<string>())).AsObject();
        var podSpec = path.Append("spec").Aggregate((JsonNode)patched, (node, step) => node[step]!);
        var pinned = $"{Host}/team/app:1.0@{fixture.PassingDigest}";
        Assert.Equal(pinned, podSpec["initContainers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal([pinned, "registry.k8s.io/pause:3.9", pinned], podSpec["containers"]!.AsArray().Select(c => c!["image"]!.GetValue<string>()));

        var validate = await fixture.PostAsync("/k8s/admission/validate", AdmissionReviews.Review(apiVersion, kind, resource, patched, uid: $"v-{index}"));
        Assert.Equal($"v-{index}", validate["uid"]!.GetValue<string>());
        Assert.True(validate["allowed"]!.GetValue<bool>(), validate.ToJsonString());
        Assert.Equal(200, validate["status"]!["code"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(KindIndexes))]
    public async Task Validate_EveryWorkloadKind_DeniesNamingContainerImageAndRule(int index)
    {
        var (apiVersion, kind, resource, path) = AdmissionReviews.WorkloadKinds[index];
        var spec = AdmissionReviews.RestrictedPodSpec($"{Host}/team/app:1.0", [$"{Host}/team/broken:1"], $"{Host}/team/app:missing");
        spec["hostPID"] = true;
        var obj = AdmissionReviews.Workload(apiVersion, kind, path, "web", "shop", spec);

        var response = await fixture.PostAsync("/k8s/admission/validate", AdmissionReviews.Review(apiVersion, kind, resource, obj));

        Assert.False(response["allowed"]!.GetValue<bool>());
        Assert.Equal(403, response["status"]!["code"]!.GetValue<int>());
        var message = response["status"]!["message"]!.GetValue<string>();
        Assert.StartsWith($"Bulwark denied {kind}/web in namespace \"shop\": ", message, StringComparison.Ordinal);
        Assert.Contains("[podSecurity/hostNamespaces] violates PodSecurity \"restricted:latest\": host namespaces (hostPID=true)", message, StringComparison.Ordinal);
        Assert.Contains($"[scanPolicy] container \"app0\" image \"{Host}/team/broken:1\": {fixture.FailingDigest} fails policy (quarantined): scan failed", message,
            StringComparison.Ordinal);
        Assert.Contains($"[resolvable] container \"debug\" image \"{Host}/team/app:missing\": team/app:missing does not exist on this registry", message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("container \"init\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_RegistryNotAllowed_AndPrefixLookalike_AreDenied()
    {
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", ["registry.k8s.io.evil.io/pause:3.9", "docker.io/library/nginx:1.27"]);
        var response = await fixture.PostAsync("/k8s/admission/validate",
            AdmissionReviews.Review("v1", "Pod", "pods", AdmissionReviews.Workload("v1", "Pod", [], "web", "shop", spec)));
        var message = response["status"]!["message"]!.GetValue<string>();
        Assert.Contains("[allowedRegistries] container \"app0\" image \"registry.k8s.io.evil.io/pause:3.9\": registry \"registry.k8s.io.evil.io\" is not in allowedRegistries",
            message, StringComparison.Ordinal);
        Assert.Contains("[allowedRegistries] container \"app1\" image \"docker.io/library/nginx:1.27\"", message, StringComparison.Ordinal);
        Assert.DoesNotContain("container \"init\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_PendingScan_IsDenied()
    {
        var jobs = fixture.Server.App.Services.GetRequiredService<ScanJobStore>();
        var (_, digest) = await fixture.Server.PushImageAsync("team/pending", "1");
        // The push queued a scan; whatever the worker has done with it, put it back to pending as a re-scan would.
        await jobs.EnqueueAsync("team/pending", digest.ToString(), MediaTypes.OciManifest, force: true, CancellationToken.None);
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", [$"{Host}/team/pending:1"]);
        var response = await fixture.PostAsync("/k8s/admission/validate",
            AdmissionReviews.Review("v1", "Pod", "pods", AdmissionReviews.Workload("v1", "Pod", [], "web", "shop", spec)));
        var message = response["status"]!["message"]!.GetValue<string>();
        Assert.False(response["allowed"]!.GetValue<bool>());
        Assert.Matches("\\[scanPolicy\\] container \"app0\" image \"bulwark.test:5000/team/pending:1\": sha256:[0-9a-f]{64} (is not decided yet \\(scan pending\\)|fails policy)",
            message);
    }

    [Fact]
    public async Task Validate_DryRun_IsDecidedAndAuditedAsDryRun()
    {
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", ["quay.io/evil/miner:1"]);
        var review = AdmissionReviews.Review("v1", "Pod", "pods", AdmissionReviews.Workload("v1", "Pod", [], "dry-run-pod", "shop", spec), dryRun: true);

        var response = await fixture.PostAsync("/k8s/admission/validate", review);

        Assert.False(response["allowed"]!.GetValue<bool>());
        var log = fixture.Server.App.Services.GetRequiredService<IAuditLog>();
        var page = await log.QueryAsync(new AuditQuery { Action = AuditActions.AdmissionReview, Target = "shop/Pod/dry-run-pod" }, CancellationToken.None);
        var record = Assert.Single(page.Records);
        Assert.Equal(AuditOutcome.Denied, record.Outcome);
        Assert.Equal(AuditActorKind.Anonymous, record.Actor.Kind);
        Assert.Equal("true", record.Details!["dryRun"]);
        Assert.Equal("kubernetes-admin", record.Details["kubeUser"]);
        Assert.Contains("[allowedRegistries] container \"app0\" image \"quay.io/evil/miner:1\"", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AllowedDecision_IsAudited()
    {
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", ["registry.k8s.io/pause:3.9"]);
        var response = await fixture.PostAsync("/k8s/admission/validate",
            AdmissionReviews.Review("v1", "Pod", "pods", AdmissionReviews.Workload("v1", "Pod", [], "audited-pod", "shop", spec)));
        Assert.True(response["allowed"]!.GetValue<bool>());
        var log = fixture.Server.App.Services.GetRequiredService<IAuditLog>();
        AuditRecord? record = null;
        for (var attempt = 0; attempt < 100 && record is null; attempt++)
        {
            // Allowed decisions are queued to the audit writer rather than awaited.
            record = (await log.QueryAsync(new AuditQuery { Action = AuditActions.AdmissionReview, Target = "shop/Pod/audited-pod" }, CancellationToken.None))
                .Records.SingleOrDefault();
            if (record is null)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotNull(record);
        Assert.Equal(AuditOutcome.Success, record.Outcome);
        Assert.Equal("allowed", record.Details!["decision"]);
        Assert.Equal("restricted:latest", record.Details["podSecurity"]);
    }

    public static TheoryData<string, string?, string> BadBodies() => new()
    {
        { "", "application/json", "not valid JSON" },
        { "{\"apiVersion\":", "application/json", "not valid JSON" },
        { "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\"}}", "application/json", "expected apiVersion admission.k8s.io/v1" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"ConversionReview\",\"request\":{\"uid\":\"u\"}}", "application/json", "kind AdmissionReview" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"version\":\"v1\",\"kind\":\"Pod\"},\"resource\":{\"version\":\"v1\",\"resource\":\"pods\"}}}",
            "application/json", "request.object is missing" },
        { "{}", "text/plain", "Content-Type must be application/json" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Webhooks_MalformedBody_Are400NeverAllowed(string body, string? contentType, string message)
    {
        foreach (var path in new[] { "/k8s/admission/validate", "/k8s/admission/mutate" })
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);
            using var response = await fixture.Client.PostAsync(path, content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(message, text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"allowed\"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Webhooks_OversizedBody_Is400_WithOrWithoutContentLength()
    {
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", ["registry.k8s.io/pause:3.9"]);
        var pod = AdmissionReviews.Workload("v1", "Pod", [], "big", "shop", spec);
        pod["metadata"]!["annotations"] = new JsonObject { ["padding"] = new string('x', 3 * 1024 * 1024) };
        var body = AdmissionReviews.Bytes(AdmissionReviews.Review("v1", "Pod", "pods", pod));

        using var sized = new ByteArrayContent(body);
        sized.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await fixture.Client.PostAsync("/k8s/admission/validate", sized);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than 3145728 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var chunked = new StreamContent(new MemoryStream(body));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/k8s/admission/mutate") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var chunkedResponse = await fixture.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, chunkedResponse.StatusCode);
    }

    [Fact]
    public async Task Images_ReportsEachImageRule()
    {
        using var content = new StringContent(
            $$"""{"images":["{{Host}}/team/app:1.0","{{Host}}/team/nope:1","docker.io/library/nginx:1.27","not a reference"]}""",
            Encoding.UTF8, "application/json");
        using var response = await fixture.Client.PostAsync("/k8s/admission/images", content);
        response.EnsureSuccessStatusCode();
        var images = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["images"]!.AsArray();
        Assert.Equal([true, false, false, false], images.Select(i => i!["allowed"]!.GetValue<bool>()));
        Assert.Equal(["resolvable", "allowedRegistries", "imageReference"], images.Skip(1).Select(i => i!["findings"]![0]!["rule"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CheckWithServer_MergesImageRulesIntoTheReport()
    {
        var manifests = $$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                  containers:
                  - name: web
                    image: {{{Host}}}/team/app:1.0
                    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: report, namespace: shop}
            spec:
              schedule: "@daily"
              jobTemplate:
                spec:
                  template:
                    spec:
                      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                      initContainers:
                      - name: fetch
                        image: docker.io/library/busybox:1.36
                        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
                      containers:
                      - name: report
                        image: {{{Host}}}/team/broken:1
                        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
            """;
        var objects = Bulwark.Policy.Kubernetes.ManifestReader.Read(manifests, "deploy.yaml", json: false, Bulwark.Policy.Kubernetes.ManifestLimits.Default);
        var local = Bulwark.Policy.Workloads.WorkloadChecker.Check(objects, new Bulwark.Policy.Workloads.WorkloadCheckOptions());
        Assert.True(local.AllAllowed);

        var report = await Bulwark.Policy.Admission.ServerImageRules.ApplyAsync(local, fixture.Client, fixture.Server.BaseAddress, CancellationToken.None);

        Assert.Equal(fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority), report.ImageServer);
        Assert.Contains("and image rules (Bulwark server https://127.0.0.1:", report.Scope, StringComparison.Ordinal);
        Assert.True(report.Results[0].Allowed);
        Assert.False(report.Results[1].Allowed);
        Assert.Equal([("fetch", "allowedRegistries"), ("report", "scanPolicy")], report.Results[1].ImageFindings.Select(f => (f.Container!, f.Rule)));
        using var json = new MemoryStream();
        await Bulwark.Policy.Workloads.WorkloadReportWriter.WriteJsonAsync(report, json, CancellationToken.None);
        var written = JsonNode.Parse(json.ToArray())!;
        Assert.False(written["allowed"]!.GetValue<bool>());
        Assert.Equal("image rules", written["scope"]!.GetValue<string>().Split(" and ")[1][..11]);
        Assert.Equal("docker.io/library/busybox:1.36", written["results"]![1]!["imageFindings"]![0]!["image"]!.GetValue<string>());
        using var sarif = new MemoryStream();
        await Bulwark.Policy.Workloads.WorkloadReportWriter.WriteSarifAsync(report, sarif, "1.0.0", CancellationToken.None);
        var run = JsonNode.Parse(sarif.ToArray())!["runs"]![0]!;
        Assert.Equal(["image/allowedRegistries", "image/scanPolicy"], run["results"]!.AsArray().Select(r => r!["ruleId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CheckWithServer_Unreachable_IsAClearError()
    {
        var objects = Bulwark.Policy.Kubernetes.ManifestReader.Read("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: x}]}\n",
            "p.yaml", json: false, Bulwark.Policy.Kubernetes.ManifestLimits.Default);
        var local = Bulwark.Policy.Workloads.WorkloadChecker.Check(objects, new Bulwark.Policy.Workloads.WorkloadCheckOptions());
        using var plain = new HttpClient();
        // The TLS server does not speak plain HTTP, and the certificate is not trusted by a default client.
        var error = await Assert.ThrowsAsync<Bulwark.Policy.Admission.AdmissionReviewException>(() =>
            Bulwark.Policy.Admission.ServerImageRules.ApplyAsync(local, plain, fixture.Server.BaseAddress, CancellationToken.None));
        Assert.Contains("/k8s/admission/images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountReviews()
    {
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", ["registry.k8s.io/pause:3.9"]);
        await fixture.PostAsync("/k8s/admission/validate", AdmissionReviews.Review("v1", "Pod", "pods", AdmissionReviews.Workload("v1", "Pod", [], "m", "shop", spec)));
        var metrics = await fixture.Client.GetStringAsync("/metrics");
        Assert.Contains("bulwark_admission_reviews_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("webhook=\"validate\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_InvalidAdmissionSettings_AreRefusedAllAtOnce()
    {
        var options = new ServerOptions { Listen = "127.0.0.1:0", Data = Path.Combine(Path.GetTempPath(), "bulwark-server-tests", Guid.NewGuid().ToString("N")) };
        options.Admission.Mode = "warn";
        options.Admission.Level = "strict";
        options.Admission.Namespaces["legacy"] = new Bulwark.Server.Admission.NamespaceAdmissionSettings { Version = "1.29" };
        options.Admission.AllowedRegistries.Add("registry.k8s.io/library");
        var error = Assert.Throws<ServerConfigurationException>(() => BulwarkServer.Build(options));
        Assert.Contains("admission.mode must be enforce or audit", error.Message, StringComparison.Ordinal);
        Assert.Contains("admission.level must be", error.Message, StringComparison.Ordinal);
        Assert.Contains("admission.namespaces.legacy.version must be latest or v1.N", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"registry.k8s.io/library\" is not a registry host", error.Message, StringComparison.Ordinal);
    }

    /// <summary>One HTTPS server for the class: a passing image (team/app:1.0, scanned) and a failing one (team/broken:1, scan failed).</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "bulwark-admission-tests", Guid.NewGuid().ToString("N"));

        public LiveServer Server { get; private set; } = null!;

        /// <summary>An HTTPS client that trusts only the server's self-signed certificate, as kube-apiserver trusts its caBundle.</summary>
        public HttpClient Client { get; private set; } = null!;

        public Digest PassingDigest { get; private set; }

        public Digest FailingDigest { get; private set; }

        public static void Configure(ServerOptions options)
        {
            ScanTestImages.Configure(options);
            options.Scanning.MaxAttempts = 1;
            options.Admission.RegistryHosts = [Host];
            options.Admission.AllowedRegistries = [Host, "registry.k8s.io"];
        }

        public async Task InitializeAsync()
        {
            var tls = new SelfSignedTls(_directory);
            Server = await LiveServer.StartAsync(o =>
                {
                    Configure(o);
                    o.Tls = tls.Options;
                },
                handler: tls.Handler);
            Client = Server.Anonymous;
            Assert.Equal("https", Server.BaseAddress.Scheme);

            (PassingDigest, _) = await ScanTestImages.PushAsync(Server, "team/app", "1.0", ScanTestImages.DebianLayer("admission"));
            await ScanTestImages.WaitForStatusAsync(Server, "team/app", "1.0", "done");
            (_, FailingDigest) = await Server.PushImageAsync("team/broken", "1");
            await ScanTestImages.WaitForStatusAsync(Server, "team/broken", "1", "failed");
        }

        /// <summary>Posts a review as kube-apiserver does (anonymous, application/json) and returns its <c>response</c>.</summary>
        public async Task<JsonNode> PostAsync(string path, JsonObject review)
        {
            using var content = new ByteArrayContent(AdmissionReviews.Bytes(review));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await Client.PostAsync(path, content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            var root = JsonNode.Parse(text)!;
            Assert.Equal("admission.k8s.io/v1", root["apiVersion"]!.GetValue<string>());
            Assert.Equal("AdmissionReview", root["kind"]!.GetValue<string>());
            return root["response"]!;
        }

        public async Task DisposeAsync()
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }

            Directory.Delete(_directory, recursive: true);
        }
    }
}
