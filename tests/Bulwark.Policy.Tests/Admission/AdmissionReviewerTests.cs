using System.Text.Json.Nodes;
using Bulwark.Policy.Admission;
using Bulwark.Policy.Workloads;
using Bulwark.Tests.Shared;

namespace Bulwark.Policy.Tests.Admission;

public sealed class AdmissionReviewerTests
{
    private const string Host = "bulwark.example.com:5000";

    private readonly FakeImageFacts _facts = new();

    private AdmissionReviewer Reviewer(Func<AdmissionOptions, AdmissionOptions>? configure = null)
    {
        var options = new AdmissionOptions { RegistryHosts = [Host], AllowedRegistries = [Host, "registry.k8s.io"] };
        return new AdmissionReviewer(configure?.Invoke(options) ?? options, _facts);
    }

    private static AdmissionRequest Request(JsonObject review) =>
        AdmissionReviewReader.Read(AdmissionReviews.Bytes(review), AdmissionOptions.DefaultMaxRequestBytes);

    private static JsonObject PodReview(JsonObject spec, string ns = "shop", string operation = "CREATE") =>
        AdmissionReviews.Review("v1", "Pod", "pods", AdmissionReviews.Workload("v1", "Pod", [], "web", ns, spec), operation, ns: ns);

    public static TheoryData<int> KindIndexes() => new(Enumerable.Range(0, AdmissionReviews.WorkloadKinds.Count));

    [Theory]
    [MemberData(nameof(KindIndexes))]
    public async Task Validate_EveryWorkloadKind_ChecksEveryContainerKind(int index)
    {
        var (apiVersion, kind, resource, path) = AdmissionReviews.WorkloadKinds[index];
        _facts.Add("shop/web:1", ImageDecision.Pass);
        _facts.Add("shop/init:1", ImageDecision.Pending);
        var spec = AdmissionReviews.RestrictedPodSpec($"{Host}/shop/init:1", [$"{Host}/shop/web:1", "docker.io/library/nginx:1.27"], $"{Host}/shop/debug:1");
        var review = AdmissionReviews.Review(apiVersion, kind, resource, AdmissionReviews.Workload(apiVersion, kind, path, "web", "shop", spec));

        var decision = await Reviewer().ValidateAsync(Request(review), CancellationToken.None);

        Assert.False(decision.Allowed);
        Assert.Equal(403, decision.Code);
        Assert.Equal($"{kind}/web", decision.Subject);
        Assert.Equal("restricted:latest", decision.PodSecurity);
        Assert.Collection(decision.Findings,
            f => Assert.Equal(("init", AdmissionRules.ScanPolicy), (f.Container, f.Rule)),
            f => Assert.Equal(("app1", AdmissionRules.AllowedRegistries, "docker.io/library/nginx:1.27"), (f.Container, f.Rule, f.Image)),
            f => Assert.Equal(("debug", AdmissionRules.Resolvable), (f.Container, f.Rule)));
        Assert.Contains("container \"app1\" image \"docker.io/library/nginx:1.27\"", decision.Message, StringComparison.Ordinal);
        Assert.Contains("registry \"docker.io\" is not in allowedRegistries", decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bulwark.example.com:5000", true)]
    [InlineData("BULWARK.example.com:5000", true)]
    [InlineData("bulwark.example.com", false)]
    [InlineData("bulwark.example.com:50000", false)]
    [InlineData("bulwark.example.com.evil.io:5000", false)]
    [InlineData("registry.k8s.io", true)]
    [InlineData("registry.k8s.io.evil", false)]
    [InlineData("registry.k8s", false)]
    public async Task AllowedRegistries_MatchExactHostAndPort(string registry, bool allowed)
    {
        var findings = await Reviewer(o => o with { RegistryHosts = [] }).CheckImageAsync($"{registry}/team/app:1", CancellationToken.None);
        Assert.Equal(allowed, findings.Count == 0);
    }

    [Fact]
    public async Task AllowedRegistries_PrefixOfAnotherName_IsNotAllowed()
    {
        // Gatekeeper's prefix match lets "myorg" admit "myorg-evil"; an exact host comparison does not.
        var reviewer = Reviewer(o => o with { AllowedRegistries = ["myorg.io"], RegistryHosts = [] });
        Assert.Empty(await reviewer.CheckImageAsync("myorg.io/app:1", CancellationToken.None));
        var finding = Assert.Single(await reviewer.CheckImageAsync("myorg.io-evil.com/app:1", CancellationToken.None));
        Assert.Equal(AdmissionRules.AllowedRegistries, finding.Rule);
    }

    [Fact]
    public async Task AllowedRegistries_Empty_AllowsAnyRegistry()
    {
        Assert.Empty(await Reviewer(o => o with { AllowedRegistries = [], RegistryHosts = [] }).CheckImageAsync("nginx", CancellationToken.None));
    }

    [Theory]
    [InlineData(ImageDecision.Pass, null)]
    [InlineData(ImageDecision.Fail, "fails policy (quarantined): critical CVE-2026-1")]
    [InlineData(ImageDecision.Pending, "is not decided yet (scan pending)")]
    [InlineData(ImageDecision.Unknown, "has not been scanned")]
    public async Task ScanPolicy_DecisionOtherThanPass_Denies(ImageDecision decision, string? message)
    {
        _facts.Add("shop/web:1", decision, true, decision == ImageDecision.Fail ? ["critical CVE-2026-1"] : []);
        var findings = await Reviewer().CheckImageAsync($"{Host}/shop/web:1", CancellationToken.None);
        if (message is null)
        {
            Assert.Empty(findings);
        }
        else
        {
            var finding = Assert.Single(findings);
            Assert.Equal(AdmissionRules.ScanPolicy, finding.Rule);
            Assert.Contains(message, finding.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Resolvable_UnknownTagOrDigest_Denies()
    {
        var digest = _facts.Add("shop/web:1", ImageDecision.Pass);
        var reviewer = Reviewer();
        Assert.Equal(AdmissionRules.Resolvable, Assert.Single(await reviewer.CheckImageAsync($"{Host}/shop/web:2", CancellationToken.None)).Rule);
        Assert.Equal(AdmissionRules.Resolvable, Assert.Single(await reviewer.CheckImageAsync($"{Host}/shop/other@{digest}", CancellationToken.None)).Rule);
        Assert.Empty(await reviewer.CheckImageAsync($"{Host}/shop/web@{digest}", CancellationToken.None));
    }

    [Fact]
    public async Task Resolvable_TagAndDigest_IsJudgedByTheDigest()
    {
        var digest = _facts.Add("shop/web:1", ImageDecision.Pass);
        Assert.Empty(await Reviewer().CheckImageAsync($"{Host}/shop/web:moved@{digest}", CancellationToken.None));
        Assert.Null(_facts.Asked.Single().Tag);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(null, true)]
    public async Task Signature_Required_NeedsAVerifiedSignature(bool? verified, bool denied)
    {
        _facts.Add("shop/web:1", ImageDecision.Pass, verified);
        var findings = await Reviewer(o => o with { RequireSignature = true }).CheckImageAsync($"{Host}/shop/web:1", CancellationToken.None);
        Assert.Equal(denied, findings.Any(f => f.Rule == AdmissionRules.Signature));
        Assert.Empty(await Reviewer().CheckImageAsync($"{Host}/shop/web:1", CancellationToken.None));
    }

    [Fact]
    public async Task Signature_NotVerified_NamesTheReasonAndAtMostThreeSignatures()
    {
        var digest = _facts.Add("shop/web:1", ImageDecision.Pass, verified: false);
        string[] reasons = [$"signed, but by no trusted key: 0 of the required 1 trusted key(s) signed {digest}", "a", "b", "c", "d", "e"];
        _facts.Known["shop/web:1"] = _facts.Known["shop/web:1"] with { SignatureReasons = reasons };

        var finding = Assert.Single(await Reviewer(o => o with { RequireSignature = true }).CheckImageAsync($"{Host}/shop/web:1", CancellationToken.None));

        Assert.Equal(AdmissionRules.Signature, finding.Rule);
        Assert.Equal($"signature not verified: signed, but by no trusted key: 0 of the required 1 trusted key(s) signed {digest}; a; b; c; … and 2 more",
            finding.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("UPPER/case:1")]
    [InlineData("host/app:bad tag")]
    public async Task ImageReference_Invalid_Denies(string image)
    {
        Assert.Equal(AdmissionRules.ImageReference, Assert.Single(await Reviewer().CheckImageAsync(image, CancellationToken.None)).Rule);
    }

    [Fact]
    public async Task PodSecurity_LevelPerNamespace_FromConfiguration()
    {
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", ["registry.k8s.io/pause:3.9"]);
        spec["securityContext"]!.AsObject().Remove("runAsNonRoot");
        var reviewer = Reviewer(o => o with
        {
            Namespaces = new Dictionary<string, NamespacePodSecurity> { ["legacy"] = new(PodSecurityLevel.Baseline, PodSecurityVersion.Of(29)) },
        });

        var shop = await reviewer.ValidateAsync(Request(PodReview(spec)), CancellationToken.None);
        var legacy = await reviewer.ValidateAsync(Request(PodReview(spec, "legacy")), CancellationToken.None);

        var finding = Assert.Single(shop.Findings);
        Assert.Equal((AdmissionRules.PodSecurity, "runAsNonRoot"), (finding.Rule, finding.Control));
        Assert.Contains("violates PodSecurity \"restricted:latest\": runAsNonRoot != true", shop.Message, StringComparison.Ordinal);
        Assert.True(legacy.Allowed);
        Assert.Equal("baseline:v1.29", legacy.PodSecurity);
    }

    [Fact]
    public async Task PodSecurity_Exemptions_ByNamespaceUserAndServiceAccount()
    {
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", ["registry.k8s.io/pause:3.9"]);
        spec["hostNetwork"] = true;
        spec["serviceAccountName"] = "node-agent";
        var exempt = Reviewer(o => o with
        {
            Exemptions = new PodSecurityExemptions { Namespaces = ["infra"], Usernames = ["system:serviceaccount:monitoring:node-agent", "ci-bot"] },
        });

        Assert.False((await exempt.ValidateAsync(Request(PodReview(spec)), CancellationToken.None)).Allowed);
        Assert.Equal("exempt: namespace \"infra\"", (await exempt.ValidateAsync(Request(PodReview(spec, "infra")), CancellationToken.None)).PodSecurity);
        Assert.Equal("exempt: service account \"system:serviceaccount:monitoring:node-agent\"",
            (await exempt.ValidateAsync(Request(PodReview(spec, "monitoring")), CancellationToken.None)).PodSecurity);
        var byUser = AdmissionReviews.Review("v1", "Pod", "pods", AdmissionReviews.Workload("v1", "Pod", [], "web", "shop", spec), username: "ci-bot");
        Assert.True((await exempt.ValidateAsync(Request(byUser), CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task PodSecurity_ExemptionDoesNotExemptImageRules()
    {
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", ["evil.example/miner:1"]);
        var reviewer = Reviewer(o => o with { Exemptions = new PodSecurityExemptions { Namespaces = ["infra"] } });
        var decision = await reviewer.ValidateAsync(Request(PodReview(spec, "infra")), CancellationToken.None);
        Assert.False(decision.Allowed);
        Assert.Equal(AdmissionRules.AllowedRegistries, Assert.Single(decision.Findings).Rule);
    }

    [Fact]
    public async Task AuditMode_AllowsWithWarnings()
    {
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", ["evil.example/miner:1"]);
        spec["hostPID"] = true;
        var decision = await Reviewer(o => o with { Mode = AdmissionMode.Audit }).ValidateAsync(Request(PodReview(spec)), CancellationToken.None);
        Assert.True(decision.Allowed);
        Assert.Equal(2, decision.Warnings.Count);
        Assert.StartsWith("[podSecurity/hostNamespaces]", decision.Warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("[allowedRegistries] container \"app0\" image \"evil.example/miner:1\"", decision.Warnings[1], StringComparison.Ordinal);
        var response = JsonNode.Parse(AdmissionReviewWriter.Validation(decision))!["response"]!;
        Assert.True(response["allowed"]!.GetValue<bool>());
        Assert.Equal(2, response["warnings"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("CONNECT")]
    public async Task DeleteAndConnect_AreAllowedUnjudged(string operation)
    {
        var spec = AdmissionReviews.RestrictedPodSpec("evil.example/a:1", ["evil.example/a:1"]);
        var pod = AdmissionReviews.Workload("v1", "Pod", [], "web", "shop", spec);
        var review = AdmissionReviews.Review("v1", "Pod", "pods", operation == "DELETE" ? null : pod, operation, oldObject: operation == "DELETE" ? pod : null);
        var decision = await Reviewer().ValidateAsync(Request(review), CancellationToken.None);
        Assert.True(decision.Allowed);
        Assert.Equal($"{operation} is not judged", decision.Skipped);
    }

    [Fact]
    public async Task Update_WithUnchangedPodTemplate_IsNotRejudged()
    {
        var spec = AdmissionReviews.RestrictedPodSpec("evil.example/a:1", ["evil.example/a:1"]);
        var old = AdmissionReviews.Workload("apps/v1", "Deployment", ["spec", "template"], "web", "shop", spec);
        var scaled = old.DeepClone().AsObject();
        scaled["spec"]!["replicas"] = 5;
        var changed = old.DeepClone().AsObject();
        changed["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "evil.example/a:2";

        var reviewer = Reviewer();
        var scale = await reviewer.ValidateAsync(Request(AdmissionReviews.Review("apps/v1", "Deployment", "deployments", scaled, "UPDATE", old)), CancellationToken.None);
        var update = await reviewer.ValidateAsync(Request(AdmissionReviews.Review("apps/v1", "Deployment", "deployments", changed, "UPDATE", old)), CancellationToken.None);

        Assert.True(scale.Allowed);
        Assert.Equal("pod spec unchanged", scale.Skipped);
        Assert.False(update.Allowed);
    }

    [Fact]
    public async Task NonWorkloadsAndSubresources_AreAllowedUnjudged()
    {
        var reviewer = Reviewer();
        var configMap = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "c" } };
        Assert.Equal("v1 ConfigMap runs no pods",
            (await reviewer.ValidateAsync(Request(AdmissionReviews.Review("v1", "ConfigMap", "configmaps", configMap)), CancellationToken.None)).Skipped);
        var pod = AdmissionReviews.Workload("v1", "Pod", [], "web", "shop", AdmissionReviews.RestrictedPodSpec("evil.example/a:1", ["evil.example/a:1"]));
        Assert.Equal("subresource status is not judged",
            (await reviewer.ValidateAsync(Request(AdmissionReviews.Review("v1", "Pod", "pods", pod, "UPDATE", pod, subResource: "status")), CancellationToken.None)).Skipped);
        var withDebug = pod.DeepClone().AsObject();
        withDebug["spec"]!["ephemeralContainers"] = new JsonArray(new JsonObject { ["name"] = "debug", ["image"] = "evil.example/debug:1" });
        var ephemeral = await reviewer.ValidateAsync(
            Request(AdmissionReviews.Review("v1", "Pod", "pods", withDebug, "UPDATE", pod, subResource: "ephemeralcontainers")), CancellationToken.None);
        Assert.False(ephemeral.Allowed);
        Assert.Contains(ephemeral.Findings, f => f.Container == "debug" && f.Rule == AdmissionRules.AllowedRegistries);
    }

    [Fact]
    public async Task Validate_WrongFieldTypeInObject_IsAReviewError()
    {
        var pod = AdmissionReviews.Workload("v1", "Pod", [], "web", "shop", AdmissionReviews.RestrictedPodSpec("a", ["b"]));
        pod["spec"]!["hostNetwork"] = "yes please";
        var error = await Assert.ThrowsAsync<AdmissionReviewException>(() => Reviewer().ValidateAsync(Request(AdmissionReviews.Review("v1", "Pod", "pods", pod)), CancellationToken.None));
        Assert.Contains("spec.hostNetwork", error.Message, StringComparison.Ordinal);
        var noTemplate = AdmissionReviews.Workload("apps/v1", "Deployment", ["spec", "template"], "web", "shop", new JsonObject());
        noTemplate["spec"]!.AsObject().Remove("template");
        await Assert.ThrowsAsync<AdmissionReviewException>(() => Reviewer().ValidateAsync(
            Request(AdmissionReviews.Review("apps/v1", "Deployment", "deployments", noTemplate)), CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(KindIndexes))]
    public async Task Mutate_PinsTaggedImagesOnThisRegistry_AtTheRightPointer(int index)
    {
        var (apiVersion, kind, resource, path) = AdmissionReviews.WorkloadKinds[index];
        var web = _facts.Add("shop/web:1", ImageDecision.Pass);
        var init = _facts.Add("shop/init:1", ImageDecision.Pending);
        var pinned = _facts.Add("shop/pinned:1", ImageDecision.Pass);
        var spec = AdmissionReviews.RestrictedPodSpec($"{Host}/shop/init:1",
            [$"{Host}/shop/web:1", "registry.k8s.io/pause:3.9", $"{Host}/shop/pinned:1@{pinned}", $"{Host}/shop/unknown:1"], $"{Host}/shop/web:1");
        var obj = AdmissionReviews.Workload(apiVersion, kind, path, "web", "shop", spec);

        var pins = await Reviewer().MutateAsync(Request(AdmissionReviews.Review(apiVersion, kind, resource, obj)), CancellationToken.None);
        var patched = AdmissionReviews.ApplyPatch(obj, AdmissionReviewWriter.Patch(pins));

        JsonNode podSpec = patched;
        foreach (var step in path.Append("spec"))
        {
            podSpec = podSpec[step]!;
        }

        Assert.Equal($"{Host}/shop/init:1@{init}", podSpec["initContainers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal($"{Host}/shop/web:1@{web}", podSpec["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("registry.k8s.io/pause:3.9", podSpec["containers"]![1]!["image"]!.GetValue<string>());
        Assert.Equal($"{Host}/shop/pinned:1@{pinned}", podSpec["containers"]![2]!["image"]!.GetValue<string>());
        Assert.Equal($"{Host}/shop/unknown:1", podSpec["containers"]![3]!["image"]!.GetValue<string>());
        Assert.Equal($"{Host}/shop/web:1@{web}", podSpec["ephemeralContainers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal(3, pins.Count);
        patched["spec"] = obj["spec"]!.DeepClone();
        Assert.True(JsonNode.DeepEquals(obj, patched), "only images change");
    }

    [Fact]
    public async Task Mutate_Update_PinsOnlyChangedImages()
    {
        _facts.Add("shop/web:1", ImageDecision.Pass);
        var web2 = _facts.Add("shop/web:2", ImageDecision.Pass);
        _facts.Add("shop/side:1", ImageDecision.Pass);
        var old = AdmissionReviews.Workload("apps/v1", "Deployment", ["spec", "template"], "web", "shop",
            AdmissionReviews.RestrictedPodSpec($"{Host}/shop/side:1", [$"{Host}/shop/web:1"]));
        var updated = old.DeepClone().AsObject();
        updated["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = $"{Host}/shop/web:2";

        var pins = await Reviewer().MutateAsync(Request(AdmissionReviews.Review("apps/v1", "Deployment", "deployments", updated, "UPDATE", old)), CancellationToken.None);

        var pin = Assert.Single(pins);
        Assert.Equal("/spec/template/spec/containers/0/image", pin.ImagePointer);
        Assert.Equal($"{Host}/shop/web:2@{web2}", pin.PinnedImage);
    }

    [Fact]
    public void MutationResponse_HasBase64JsonPatch()
    {
        var pins = new[] { new ImagePin("/spec/containers/0/image", "app", "h/a:1", "h/a:1@sha256:" + new string('a', 64)) };
        var response = JsonNode.Parse(AdmissionReviewWriter.Mutation("u-1", pins))!;
        Assert.Equal("admission.k8s.io/v1", response["apiVersion"]!.GetValue<string>());
        Assert.Equal("u-1", response["response"]!["uid"]!.GetValue<string>());
        Assert.Equal("JSONPatch", response["response"]!["patchType"]!.GetValue<string>());
        var patch = JsonNode.Parse(Convert.FromBase64String(response["response"]!["patch"]!.GetValue<string>()))!;
        Assert.Equal("replace", patch[0]!["op"]!.GetValue<string>());
        Assert.Null(JsonNode.Parse(AdmissionReviewWriter.Mutation("u-2", []))!["response"]!["patch"]);
    }
}
