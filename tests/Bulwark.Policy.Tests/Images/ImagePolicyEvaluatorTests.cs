using System.Text.Json;
using Bulwark.Oci;
using Bulwark.Policy.Images;
using Bulwark.Signing.Formats;
using Bulwark.Signing.Keys;
using Bulwark.Vulnerabilities.Severity;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Policy.Tests.Images;

public sealed class ImagePolicyEvaluatorTests : IDisposable
{
    private static readonly Digest ImageDigest = Digest.Compute("image manifest"u8);
    private static readonly Digest OtherDigest = Digest.Compute("another manifest"u8);
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly SigningKey release = SigningKey.Generate();
    private readonly SigningKey ci = SigningKey.Generate();
    private readonly SigningKey stranger = SigningKey.Generate();
    private readonly FakeTimeProvider time = new(Now);

    public void Dispose()
    {
        release.Dispose();
        ci.Dispose();
        stranger.Dispose();
    }

    private static string Inline(SigningKey key) => JsonSerializer.Serialize(key.PublicKey.ToPem());

    private static ImagePolicyDocument Policy(string checks, string mode = "enforce", string repositories = "[\"**\"]")
    {
        var yaml = $"""
            apiVersion: bulwark.dev/v1
            kind: ImagePolicy
            metadata: {"{name: test}"}
            spec:
              rules:
                - name: rule
                  repositories: {repositories}
                  mode: {mode}
            {string.Join("\n", checks.Split('\n').Select(l => "      " + l))}
            """;
        var result = ImagePolicyDocument.Parse(yaml);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Document;
    }

    private static ImageFacts Image(Action<ImageFactsBuilder>? configure = null)
    {
        var builder = new ImageFactsBuilder();
        configure?.Invoke(builder);
        return builder.Facts;
    }

    private sealed class ImageFactsBuilder
    {
        public ImageFacts Facts { get; set; } = new()
        {
            Registry = "registry.example.com",
            Repository = "prod/app",
            Digest = ImageDigest,
            Tag = "v1",
            Config = new ImageConfig { Created = Now.AddDays(-10), Config = new ImageExecutionConfig { User = "1000" } },
            Scan = new ImageScanFacts { Vulnerabilities = [] },
        };
    }

    private async Task<PolicyDecision> EvaluateAsync(ImagePolicyDocument policy, ImageFacts image) =>
        await ImagePolicyEvaluator.EvaluateAsync(policy, image, time, CancellationToken.None);

    private static CheckResult OnlyCheck(PolicyDecision decision) => Assert.Single(Assert.Single(decision.Rules).Checks);

    /// <summary>Runs a check in both modes: enforce fails the decision, audit passes it with a warning.</summary>
    private async Task<CheckResult> AssertFailsAsync(string checks, ImageFacts image)
    {
        var enforced = await EvaluateAsync(Policy(checks), image);
        Assert.Equal(PolicyOutcome.Fail, enforced.Outcome);
        Assert.Single(enforced.Failures);
        Assert.NotEmpty(enforced.FailureReasons);
        var audited = await EvaluateAsync(Policy(checks, mode: "audit"), image);
        Assert.Equal(PolicyOutcome.Pass, audited.Outcome);
        Assert.Single(audited.Warnings);
        Assert.Empty(audited.FailureReasons);
        var check = OnlyCheck(enforced);
        Assert.False(check.Passed);
        return check;
    }

    private async Task<CheckResult> AssertPassesAsync(string checks, ImageFacts image)
    {
        foreach (var mode in new[] { "enforce", "audit" })
        {
            var decision = await EvaluateAsync(Policy(checks, mode), image);
            Assert.Equal(PolicyOutcome.Pass, decision.Outcome);
            Assert.Empty(decision.Warnings);
        }

        var check = OnlyCheck(await EvaluateAsync(Policy(checks), image));
        Assert.True(check.Passed, string.Join("\n", check.Reasons));
        return check;
    }

    private static string Reasons(CheckResult check) => string.Join("\n", check.Reasons);

    [Fact]
    public async Task NoApplicableRule_PassesWithANote()
    {
        var decision = await EvaluateAsync(Policy("allowedRegistries: [other.example]", repositories: "[\"team-a/*\"]"), Image());
        Assert.Equal(PolicyOutcome.Pass, decision.Outcome);
        Assert.Empty(decision.Rules);
        Assert.Contains("no rule", Assert.Single(decision.Notes), StringComparison.Ordinal);
        Assert.Equal(Now, decision.EvaluatedAt);
    }

    [Fact]
    public async Task AllowedRegistries_ExactHost()
    {
        await AssertPassesAsync("allowedRegistries: [REGISTRY.example.com, localhost:5000]", Image());
        var check = await AssertFailsAsync("allowedRegistries: [registry.example]", Image(b => b.Facts = b.Facts with { Registry = "registry.example-evil.com" }));
        Assert.Contains("registry.example-evil.com is not allowed", Reasons(check), StringComparison.Ordinal);
        await AssertFailsAsync("allowedRegistries: [myorg.io]", Image(b => b.Facts = b.Facts with { Registry = "myorg.io.evil.com" }));
        await AssertFailsAsync("allowedRegistries: [localhost:5000]", Image(b => b.Facts = b.Facts with { Registry = "localhost:5001" }));
        await AssertFailsAsync("allowedRegistries: [localhost:5000]", Image(b => b.Facts = b.Facts with { Registry = "localhost" }));
        await AssertFailsAsync("allowedRegistries: [localhost:5000]", Image(b => b.Facts = b.Facts with { Registry = "" }));
    }

    private static SimpleSigningMaterial SimpleSignature(SigningKey key, Digest digest)
    {
        var payload = new SimpleSigningPayload("registry.example.com/prod/app:v1", digest).ToUtf8Bytes();
        return new SimpleSigningMaterial("sha256-x.sig layer 1", payload, key.Sign(payload));
    }

    private static SigstoreBundleMaterial Bundle(SigningKey key, Digest digest, string predicateType = InTotoStatement.CosignSignPredicateType) =>
        new("referrer " + predicateType, SigstoreBundle.CreateDsse(key, InTotoStatement.ForImage("registry.example.com/prod/app", digest, predicateType)));

    private string SignatureRule(int minimum = 1) =>
        $"requireSignature: {{keys: [{{name: release, publicKey: {Inline(release)}}}, {{name: ci, publicKey: {Inline(ci)}}}], minimum: {minimum}}}";

    [Fact]
    public async Task RequireSignature_SimpleSigningByTrustedKey_Passes()
    {
        var check = await AssertPassesAsync(SignatureRule(), Image(b => b.Facts = b.Facts with { Signatures = [SimpleSignature(release, ImageDigest)] }));
        Assert.Contains("key 'release'", Reasons(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireSignature_SigstoreBundleByTrustedKey_Passes()
    {
        var check = await AssertPassesAsync(SignatureRule(), Image(b => b.Facts = b.Facts with { Signatures = [Bundle(ci, ImageDigest)] }));
        Assert.Contains("key 'ci'", Reasons(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireSignature_WrongKey_Fails()
    {
        var check = await AssertFailsAsync(SignatureRule(),
            Image(b => b.Facts = b.Facts with { Signatures = [SimpleSignature(stranger, ImageDigest), Bundle(stranger, ImageDigest)] }));
        Assert.StartsWith("signed, but by no trusted key: 0 of the required 1", check.Reasons[0], StringComparison.Ordinal);
        Assert.Contains("not signed by any trusted key", Reasons(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireSignature_SignatureForAnotherDigest_Fails()
    {
        var check = await AssertFailsAsync(SignatureRule(),
            Image(b => b.Facts = b.Facts with { Signatures = [SimpleSignature(release, OtherDigest), Bundle(ci, OtherDigest)] }));
        Assert.Equal($"signature does not match the digest: 0 of the required 1 trusted key(s) signed {ImageDigest}", check.Reasons[0]);
        Assert.Contains($"the payload signs {OtherDigest}, not this image", Reasons(check), StringComparison.Ordinal);
        Assert.Contains($"not {ImageDigest}", Reasons(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireSignature_TamperedPayload_Fails()
    {
        var good = SimpleSignature(release, ImageDigest);
        var tampered = good with { Payload = new SimpleSigningPayload("registry.example.com/prod/app:v2", ImageDigest).ToUtf8Bytes() };
        await AssertFailsAsync(SignatureRule(), Image(b => b.Facts = b.Facts with { Signatures = [tampered] }));
    }

    [Fact]
    public async Task RequireSignature_NoSignatureOrNoDigest_Fails()
    {
        var none = await AssertFailsAsync(SignatureRule(), Image());
        Assert.Contains("no signature found", Reasons(none), StringComparison.Ordinal);
        var local = await AssertFailsAsync(SignatureRule(), Image(b => b.Facts = b.Facts with { Digest = null, Signatures = [SimpleSignature(release, ImageDigest)] }));
        Assert.Contains("cannot be signed", Reasons(local), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireSignature_MinimumCountsDistinctKeys()
    {
        var twiceByOne = Image(b => b.Facts = b.Facts with { Signatures = [SimpleSignature(release, ImageDigest), Bundle(release, ImageDigest)] });
        var check = await AssertFailsAsync(SignatureRule(minimum: 2), twiceByOne);
        Assert.StartsWith("not enough trusted keys: 1 of the required 2", check.Reasons[0], StringComparison.Ordinal);
        var byBoth = Image(b => b.Facts = b.Facts with { Signatures = [SimpleSignature(release, ImageDigest), Bundle(ci, ImageDigest)] });
        var passed = await AssertPassesAsync(SignatureRule(minimum: 2), byBoth);
        Assert.Equal(2, passed.Reasons.Count);
    }

    [Fact]
    public async Task RequireSignature_ProvenanceAttestationIsNotASignature()
    {
        await AssertFailsAsync(SignatureRule(), Image(b => b.Facts = b.Facts with { Signatures = [Bundle(release, ImageDigest, "https://slsa.dev/provenance/v1")] }));
    }

    [Fact]
    public async Task RequireSignature_CorruptBundle_FailsWithReason()
    {
        var check = await AssertFailsAsync(SignatureRule(), Image(b => b.Facts = b.Facts with { Signatures = [new SigstoreBundleMaterial("referrer x", "{\"x\":"u8.ToArray())] }));
        Assert.StartsWith("signature cannot be read: ", check.Reasons[0], StringComparison.Ordinal);
        Assert.Contains("referrer x: Sigstore bundle is not complete JSON", Reasons(check), StringComparison.Ordinal);
    }

    private static VulnerabilityFact Finding(string id, SeverityRating severity, bool fixable = true, params string[] aliases) => new()
    {
        Id = id,
        Aliases = aliases,
        Severity = severity,
        FixedVersions = fixable ? ["2.0"] : [],
        Package = "openssl 1.0",
    };

    private static ImageFacts Scanned(params VulnerabilityFact[] findings) =>
        Image(b => b.Facts = b.Facts with { Scan = new ImageScanFacts { Vulnerabilities = findings } });

    [Fact]
    public async Task Vulnerabilities_AboveMaximum_Fails()
    {
        var check = await AssertFailsAsync("vulnerabilities: {maximumSeverity: high}", Scanned(Finding("CVE-2024-9", SeverityRating.Critical), Finding("CVE-2024-8", SeverityRating.High)));
        Assert.Contains("CVE-2024-9 (critical) in openssl 1.0: fixed in 2.0", Reasons(check), StringComparison.Ordinal);
        Assert.DoesNotContain("CVE-2024-8", Reasons(check), StringComparison.Ordinal);
        await AssertPassesAsync("vulnerabilities: {maximumSeverity: high}", Scanned(Finding("CVE-2024-8", SeverityRating.High), Finding("CVE-2024-7", SeverityRating.Unknown)));
    }

    [Fact]
    public async Task Vulnerabilities_MaximumNone_FailsOnAnyFindingEvenUnrated()
    {
        await AssertFailsAsync("vulnerabilities: {maximumSeverity: none}", Scanned(Finding("CVE-2024-7", SeverityRating.Unknown)));
        await AssertPassesAsync("vulnerabilities: {maximumSeverity: none}", Scanned());
    }

    [Fact]
    public async Task Vulnerabilities_IgnoreUnfixed()
    {
        var unfixed = Scanned(Finding("CVE-2024-9", SeverityRating.Critical, fixable: false));
        await AssertFailsAsync("vulnerabilities: {maximumSeverity: high}", unfixed);
        var check = await AssertPassesAsync("vulnerabilities: {maximumSeverity: high, ignoreUnfixed: true}", unfixed);
        Assert.Contains("1 finding(s) without a fix ignored", Reasons(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vulnerabilities_AllowlistByIdOrAlias_UntilItExpires()
    {
        var image = Scanned(Finding("CVE-2024-9", SeverityRating.Critical, true, "GHSA-aaaa-bbbb-cccc"));
        var byId = await AssertPassesAsync("vulnerabilities: {maximumSeverity: high, allow: [{id: cve-2024-9, reason: not reachable, expires: 2026-06-02}]}", image);
        Assert.Contains("CVE-2024-9 allowed until 2026-06-02: not reachable", Reasons(byId), StringComparison.OrdinalIgnoreCase);
        await AssertPassesAsync("vulnerabilities: {maximumSeverity: high, allow: [{id: GHSA-aaaa-bbbb-cccc, reason: r}]}", image);

        var expired = await AssertFailsAsync("vulnerabilities: {maximumSeverity: high, allow: [{id: CVE-2024-9, reason: r, expires: 2026-06-01}]}", image);
        Assert.Contains("expired on 2026-06-01", Reasons(expired), StringComparison.Ordinal);
        Assert.Contains("CVE-2024-9 (critical)", Reasons(expired), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vulnerabilities_AllowlistExpiryFollowsTheClock()
    {
        var policy = Policy("vulnerabilities: {maximumSeverity: high, allow: [{id: CVE-2024-9, reason: r, expires: 2026-07-01}]}");
        var image = Scanned(Finding("CVE-2024-9", SeverityRating.Critical));
        Assert.Equal(PolicyOutcome.Pass, (await EvaluateAsync(policy, image)).Outcome);
        time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(PolicyOutcome.Fail, (await EvaluateAsync(policy, image)).Outcome);
    }

    [Fact]
    public async Task Vulnerabilities_NotScanned_Fails()
    {
        var check = await AssertFailsAsync("vulnerabilities: {maximumSeverity: critical}", Image(b => b.Facts = b.Facts with { Scan = null }));
        Assert.Contains("not been scanned yet", Reasons(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vulnerabilities_ManyFindings_AreListedUpToALimit()
    {
        var findings = Enumerable.Range(0, 300).Select(i => Finding($"CVE-2024-{i}", SeverityRating.Critical)).ToArray();
        var check = await AssertFailsAsync("vulnerabilities: {maximumSeverity: high}", Scanned(findings));
        Assert.Contains("300 finding(s)", check.Reasons[0], StringComparison.Ordinal);
        Assert.Contains("… and 280 more", Reasons(check), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("root")]
    [InlineData("0")]
    [InlineData("0:0")]
    [InlineData("root:root")]
    [InlineData("00")]
    public async Task Image_NoRootUser_RootFails(string? user)
    {
        var image = Image(b => b.Facts = b.Facts with { Config = b.Facts.Config! with { Config = new ImageExecutionConfig { User = user } } });
        var check = await AssertFailsAsync("image: {noRootUser: true}", image);
        Assert.Contains("runs as root", Reasons(check), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("app")]
    [InlineData("1000:0")]
    [InlineData("nobody:nogroup")]
    public async Task Image_NoRootUser_OtherUserPasses(string user)
    {
        var image = Image(b => b.Facts = b.Facts with { Config = b.Facts.Config! with { Config = new ImageExecutionConfig { User = user } } });
        await AssertPassesAsync("image: {noRootUser: true}", image);
    }

    [Fact]
    public async Task Image_NoRootUser_UnknownConfigFails()
    {
        await AssertFailsAsync("image: {noRootUser: true}", Image(b => b.Facts = b.Facts with { Config = null }));
    }

    [Fact]
    public async Task Image_MaximumAge_FromConfigCreated()
    {
        var old = Image(b => b.Facts = b.Facts with { Config = b.Facts.Config! with { Created = Now.AddDays(-91) } });
        var check = await AssertFailsAsync("image: {maximumAgeDays: 90}", old);
        Assert.Contains("91 days ago: older than 90 days", Reasons(check), StringComparison.Ordinal);
        await AssertPassesAsync("image: {maximumAgeDays: 90}", Image(b => b.Facts = b.Facts with { Config = b.Facts.Config! with { Created = Now.AddDays(-89) } }));
        var unknown = await AssertFailsAsync("image: {maximumAgeDays: 90}", Image(b => b.Facts = b.Facts with { Config = b.Facts.Config! with { Created = null } }));
        Assert.Contains("no creation time", Reasons(unknown), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_NoSecrets()
    {
        var check = await AssertFailsAsync("image: {noSecrets: true}", Image(b => b.Facts = b.Facts with { Scan = new ImageScanFacts { Vulnerabilities = [], SecretsFound = 2 } }));
        Assert.Contains("2 secret(s)", Reasons(check), StringComparison.Ordinal);
        await AssertPassesAsync("image: {noSecrets: true}", Image());
        await AssertFailsAsync("image: {noSecrets: true}", Image(b => b.Facts = b.Facts with { Scan = null }));
    }

    [Fact]
    public async Task Image_AllThreeChecks_ReportEachReason()
    {
        var check = await AssertFailsAsync("image: {noRootUser: true, maximumAgeDays: 5, noSecrets: true}", Image());
        Assert.Equal(3, check.Reasons.Count);
        Assert.Contains("older than 5 days", Reasons(check), StringComparison.Ordinal);
    }

    private static readonly Digest[] BaseLayers = [Digest.Compute("base layer 1"u8), Digest.Compute("base layer 2"u8)];
    private static readonly Digest[] BaseDiffIds = [Digest.Compute("base diff 1"u8), Digest.Compute("base diff 2"u8)];

    private sealed class Resolver(Dictionary<string, BaseImageFacts> images) : IBaseImageResolver
    {
        public List<string> Asked { get; } = [];

        public ValueTask<BaseImageFacts?> ResolveAsync(ImageReference reference, CancellationToken cancellationToken)
        {
            Asked.Add(reference.ToString());
            if (reference.Repository == "broken/image")
            {
                throw new BaseImageResolutionException("registry unreachable");
            }

            return ValueTask.FromResult(images.GetValueOrDefault(reference.ToString()));
        }
    }

    private static Resolver DebianResolver() => new(new()
    {
        ["registry.example.com/base/debian:12"] = new BaseImageFacts(Digest.Compute("debian"u8), BaseLayers, BaseDiffIds),
    });

    [Fact]
    public async Task ApprovedBaseImages_ByAnnotation()
    {
        var annotated = Image(b => b.Facts = b.Facts with
        {
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.base.name"] = "registry.example.com/base/debian:12" },
        });
        var check = await AssertPassesAsync("approvedBaseImages: [registry.example.com/base/**]", annotated);
        Assert.Contains("from the org.opencontainers.image.base.name annotation", Reasons(check), StringComparison.Ordinal);
        await AssertPassesAsync("approvedBaseImages: [registry.example.com/base/debian:12]", annotated);
        await AssertFailsAsync("approvedBaseImages: [registry.example.com/base/debian:11]", annotated);
        await AssertFailsAsync("approvedBaseImages: [registry.example/base/**]", annotated);
        await AssertFailsAsync("approvedBaseImages: [registry.example.com/bases/**]", annotated);
    }

    [Fact]
    public async Task ApprovedBaseImages_ByConfigLabelWithPinnedDigest()
    {
        var pinned = Digest.Compute("debian"u8);
        var labelled = Image(b => b.Facts = b.Facts with
        {
            Config = b.Facts.Config! with
            {
                Config = new ImageExecutionConfig
                {
                    Labels = new Dictionary<string, string>
                    {
                        ["org.opencontainers.image.base.name"] = "registry.example.com/base/debian:12",
                        ["org.opencontainers.image.base.digest"] = pinned.ToString(),
                    },
                },
            },
        });
        await AssertPassesAsync($"approvedBaseImages: [\"registry.example.com/base/debian@{pinned}\"]", labelled);
        await AssertFailsAsync($"approvedBaseImages: [\"registry.example.com/base/debian@{OtherDigest}\"]", labelled);
    }

    [Fact]
    public async Task ApprovedBaseImages_ByLayerPrefix()
    {
        var resolver = DebianResolver();
        var byLayers = Image(b => b.Facts = b.Facts with { LayerDigests = [.. BaseLayers, Digest.Compute("app"u8)], BaseImages = resolver });
        var check = await AssertPassesAsync("approvedBaseImages: [registry.example.com/base/debian:12]", byLayers);
        Assert.Contains("first 2 layer(s) are those of approved base image registry.example.com/base/debian:12", Reasons(check), StringComparison.Ordinal);
        Assert.Contains("registry.example.com/base/debian:12", resolver.Asked);

        var byDiffIds = Image(b => b.Facts = b.Facts with
        {
            Config = b.Facts.Config! with { RootFs = new ImageRootFs { Type = "layers", DiffIds = [.. BaseDiffIds.Select(d => d.ToString()), "sha256:" + new string('1', 64)] } },
            LayerDigests = [Digest.Compute("recompressed"u8)],
            BaseImages = DebianResolver(),
        });
        await AssertPassesAsync("approvedBaseImages: [registry.example.com/base/debian:12]", byDiffIds);
    }

    [Fact]
    public async Task ApprovedBaseImages_LayersInAnotherOrderOrMissing_Fail()
    {
        var reordered = Image(b => b.Facts = b.Facts with { LayerDigests = [BaseLayers[1], BaseLayers[0], Digest.Compute("app"u8)], BaseImages = DebianResolver() });
        var check = await AssertFailsAsync("approvedBaseImages: [registry.example.com/base/debian:12]", reordered);
        Assert.Contains("do not start with the layers of any approved base image", Reasons(check), StringComparison.Ordinal);
        var shorter = Image(b => b.Facts = b.Facts with { LayerDigests = [BaseLayers[0]], BaseImages = DebianResolver() });
        await AssertFailsAsync("approvedBaseImages: [registry.example.com/base/debian:12]", shorter);
    }

    [Fact]
    public async Task ApprovedBaseImages_ResolverProblems_AreReported()
    {
        var image = Image(b => b.Facts = b.Facts with { LayerDigests = [.. BaseLayers], BaseImages = DebianResolver() });
        var check = await AssertFailsAsync("approvedBaseImages: [registry.example.com/broken/image:1, registry.example.com/base/gone:1]", image);
        Assert.Contains("could not be looked up: registry unreachable", Reasons(check), StringComparison.Ordinal);
        Assert.Contains("registry.example.com/base/gone:1 was not found", Reasons(check), StringComparison.Ordinal);
        var noResolver = await AssertFailsAsync("approvedBaseImages: [registry.example.com/base/debian:12]", Image(b => b.Facts = b.Facts with { LayerDigests = [.. BaseLayers] }));
        Assert.Contains("no base image lookup available", Reasons(noResolver), StringComparison.Ordinal);
    }

    private string ProvenanceRule() => $"provenance: {{keys: [{{name: ci, publicKey: {Inline(ci)}}}]}}";

    [Theory]
    [InlineData("https://slsa.dev/provenance/v0.2")]
    [InlineData("https://slsa.dev/provenance/v1")]
    public async Task Provenance_SignedSlsaStatement_Passes(string predicateType)
    {
        var check = await AssertPassesAsync(ProvenanceRule(), Image(b => b.Facts = b.Facts with { Attestations = [Bundle(ci, ImageDigest, predicateType)] }));
        Assert.Contains($"SLSA provenance ({predicateType}) signed by key 'ci'", Reasons(check), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provenance_BareDsseEnvelope_Passes()
    {
        var statement = InTotoStatement.ForImage("registry.example.com/prod/app", ImageDigest, "https://slsa.dev/provenance/v1");
        var envelope = new DsseEnvelope(DsseEnvelope.InTotoPayloadType, statement,
            [ci.Sign(DsseEnvelope.PreAuthenticationEncoding(DsseEnvelope.InTotoPayloadType, statement))]);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            envelope.WriteTo(json);
        }

        await AssertPassesAsync(ProvenanceRule(), Image(b => b.Facts = b.Facts with { Attestations = [new DsseEnvelopeMaterial("sha256-x.att layer 1", buffer.ToArray())] }));
    }

    [Fact]
    public async Task Provenance_Failures()
    {
        var none = await AssertFailsAsync(ProvenanceRule(), Image());
        Assert.Contains("no SLSA provenance attestation found", Reasons(none), StringComparison.Ordinal);
        var otherPredicate = await AssertFailsAsync(ProvenanceRule(), Image(b => b.Facts = b.Facts with { Attestations = [Bundle(ci, ImageDigest, "https://cyclonedx.org/bom")] }));
        Assert.Contains("no SLSA provenance attestation found", Reasons(otherPredicate), StringComparison.Ordinal);
        var untrusted = await AssertFailsAsync(ProvenanceRule(), Image(b => b.Facts = b.Facts with { Attestations = [Bundle(stranger, ImageDigest, "https://slsa.dev/provenance/v1")] }));
        Assert.Contains("does not verify with the key", Reasons(untrusted), StringComparison.Ordinal);
        var otherImage = await AssertFailsAsync(ProvenanceRule(), Image(b => b.Facts = b.Facts with { Attestations = [Bundle(ci, OtherDigest, "https://slsa.dev/provenance/v1")] }));
        Assert.Contains($"not {ImageDigest}", Reasons(otherImage), StringComparison.Ordinal);
        await AssertFailsAsync(ProvenanceRule(), Image(b => b.Facts = b.Facts with { Digest = null, Attestations = [Bundle(ci, ImageDigest, "https://slsa.dev/provenance/v1")] }));
    }

    [Fact]
    public async Task Provenance_DefaultsToTheSignatureKeys()
    {
        var policy = Policy($"requireSignature: {{keys: [{{name: release, publicKey: {Inline(release)}}}]}}\nprovenance: {{required: true}}");
        var image = Image(b => b.Facts = b.Facts with
        {
            Signatures = [SimpleSignature(release, ImageDigest)],
            Attestations = [Bundle(release, ImageDigest, "https://slsa.dev/provenance/v1")],
        });
        var decision = await EvaluateAsync(policy, image);
        Assert.Equal(PolicyOutcome.Pass, decision.Outcome);
        Assert.Equal([PolicyCheckKind.RequireSignature, PolicyCheckKind.Provenance], Assert.Single(decision.Rules).Checks.Select(c => c.Kind));
    }

    [Fact]
    public async Task Decision_EnforcedAndAuditRules_Combine()
    {
        var yaml = """
            apiVersion: bulwark.dev/v1
            kind: ImagePolicy
            metadata: {name: mixed}
            spec:
              rules:
                - {name: registries, repositories: ["prod/**"], allowedRegistries: [registry.example.com]}
                - {name: freshness, repositories: ["prod/*"], mode: audit, image: {maximumAgeDays: 1}}
                - {name: other-team, repositories: ["team-b/**"], image: {noRootUser: true}}
            """;
        var policy = ImagePolicyDocument.Parse(yaml).Document!;
        var decision = await EvaluateAsync(policy, Image());
        Assert.Equal(PolicyOutcome.Pass, decision.Outcome);
        Assert.Equal(["registries", "freshness"], decision.Rules.Select(r => r.Name));
        Assert.Equal("freshness", Assert.Single(decision.Warnings).Name);
        Assert.Equal(policy.ContentHash, decision.PolicyHash);

        var failing = await EvaluateAsync(policy, Image(b => b.Facts = b.Facts with { Registry = "docker.io" }));
        Assert.Equal(PolicyOutcome.Fail, failing.Outcome);
        Assert.Equal("registries: registry docker.io is not allowed (allowed: registry.example.com)", Assert.Single(failing.FailureReasons));
    }
}
