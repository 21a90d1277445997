using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bulwark.Oci;
using Bulwark.Policy.Images;
using Bulwark.Signing.Formats;
using Bulwark.Signing.Keys;
using Bulwark.Vulnerabilities.Severity;

// Policy evaluation of one image, as the registry's quarantine gate and `bulwark policy check` run it: one rule with all
// six checks, a simple-signing and a Sigstore bundle signature by the one trusted key (both verified every time), a
// provenance attestation, and a cached scan of 400 findings. Prints p50/p99/mean per evaluation (issue 6: p99 < 5 ms).
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5_000;
using var key = SigningKey.Generate();
var digest = Digest.Compute("benchmark image manifest"u8);
var pem = JsonSerializer.Serialize(key.PublicKey.ToPem());
var allow = string.Join(", ", Enumerable.Range(0, 20).Select(i => $"{{id: CVE-2024-{i}, reason: accepted, expires: 2099-01-01}}"));
var yaml = $$"""
    apiVersion: bulwark.dev/v1
    kind: ImagePolicy
    metadata: {name: bench}
    spec:
      rules:
        - name: production
          repositories: ["prod/**"]
          allowedRegistries: [registry.example.com]
          approvedBaseImages: ["registry.example.com/base/**"]
          requireSignature: {keys: [{name: release, publicKey: {{pem}}}]}
          vulnerabilities: {maximumSeverity: high, ignoreUnfixed: false, allow: [{{allow}}]}
          image: {noRootUser: true, maximumAgeDays: 90, noSecrets: true}
          provenance: {required: true}
    """;
var policy = ImagePolicyDocument.Parse(yaml).Document ?? throw new InvalidOperationException("benchmark policy does not parse");
var payload = new SimpleSigningPayload("registry.example.com/prod/app:v1", digest).ToUtf8Bytes();
var severities = new[] { SeverityRating.Low, SeverityRating.Medium, SeverityRating.High, SeverityRating.Critical, SeverityRating.Unknown };
var facts = new ImageFacts
{
    Registry = "registry.example.com",
    Repository = "prod/app",
    Digest = digest,
    Tag = "v1",
    Config = new ImageConfig
    {
        Created = DateTimeOffset.UtcNow.AddDays(-3),
        Config = new ImageExecutionConfig
        {
            User = "1000",
            Labels = new Dictionary<string, string> { ["org.opencontainers.image.base.name"] = "registry.example.com/base/debian:12" },
        },
    },
    Signatures =
    [
        new SimpleSigningMaterial("sig", payload, key.Sign(payload)),
        new SigstoreBundleMaterial("referrer", SigstoreBundle.CreateDsse(key, InTotoStatement.ForImage("registry.example.com/prod/app", digest))),
    ],
    Attestations =
    [
        new SigstoreBundleMaterial("provenance", SigstoreBundle.CreateDsse(key,
            InTotoStatement.ForImage("registry.example.com/prod/app", digest, "https://slsa.dev/provenance/v1"))),
    ],
    Scan = new ImageScanFacts
    {
        Vulnerabilities = [.. Enumerable.Range(0, 400).Select(i => new VulnerabilityFact
        {
            Id = $"CVE-2024-{i}",
            Aliases = [$"CVE-2024-{i}", $"DSA-{5000 + i}-1"],
            Severity = i < 20 ? SeverityRating.Critical : severities[i % 3],
            FixedVersions = i % 2 == 0 ? ["1.2.3-1"] : [],
            Package = $"package{i % 60} 1.0-1",
        })],
    },
};

var time = TimeProvider.System;
var decision = await ImagePolicyEvaluator.EvaluateAsync(policy, facts, time, CancellationToken.None);
if (decision.Outcome != PolicyOutcome.Pass)
{
    throw new InvalidOperationException("the benchmark image must pass: " + string.Join("; ", decision.FailureReasons));
}

for (var i = 0; i < 500; i++)
{
    await ImagePolicyEvaluator.EvaluateAsync(policy, facts, time, CancellationToken.None);
}

var samples = new double[iterations];
var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
for (var i = 0; i < iterations; i++)
{
    var started = Stopwatch.GetTimestamp();
    await ImagePolicyEvaluator.EvaluateAsync(policy, facts, time, CancellationToken.None);
    samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)iterations;
Array.Sort(samples);
double Percentile(double p) => samples[Math.Clamp((int)Math.Ceiling(p * samples.Length) - 1, 0, samples.Length - 1)];
Console.WriteLine("| evaluations | p50 ms | p99 ms | mean ms | max ms | allocated per evaluation |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {iterations} | {Percentile(0.50):F3} | {Percentile(0.99):F3} | {samples.Average():F3} | {samples[^1]:F3} | {allocated / 1024:F0} KiB |"));
