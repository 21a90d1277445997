using Bulwark.Policy.Images;
using Bulwark.Signing.Keys;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Policy.Tests.Images;

public sealed class ImagePolicyDocumentTests
{
    private static readonly string Pem = SigningKey.Generate().PublicKey.ToPem();

    private static string Indented(string pem, int spaces) =>
        string.Join("\n", pem.TrimEnd('\n').Split('\n').Select(line => new string(' ', spaces) + line));

    private static string FullPolicy => $$"""
        apiVersion: bulwark.dev/v1
        kind: ImagePolicy
        metadata: {name: production}
        spec:
          rules:
            - name: prod-images
              repositories: ["prod/**", "team-a/*"]
              mode: enforce
              allowedRegistries: ["registry.example.com", "localhost:5000"]
              approvedBaseImages: ["registry.example.com/base/debian:12", "registry.example.com/base/**"]
              requireSignature:
                keys:
                  - name: release
                    publicKey: |
        {{Indented(Pem, 14)}}
                minimum: 1
              vulnerabilities:
                maximumSeverity: high
                ignoreUnfixed: true
                allow: [{id: CVE-2024-1, reason: "not reachable", expires: 2027-01-01}]
              image: {noRootUser: true, maximumAgeDays: 90, noSecrets: true}
              provenance: {required: true}
            - name: audit-everything
              repositories: ["**"]
              mode: audit
              image: {noRootUser: true}
        """;

    private static ImagePolicyDocument ParseValid(string yaml)
    {
        var result = ImagePolicyDocument.Parse(yaml);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Document;
    }

    private static IReadOnlyList<ImagePolicyError> ParseErrors(string yaml, ImagePolicyParseOptions? options = null)
    {
        var result = ImagePolicyDocument.Parse(yaml, options ?? ImagePolicyParseOptions.Default);
        Assert.False(result.Succeeded);
        Assert.Null(result.Document);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    private static string Rule(string body) => $"""
        apiVersion: bulwark.dev/v1
        kind: ImagePolicy
        metadata: {"{name: p}"}
        spec:
          rules:
            - name: r
              repositories: ["**"]
        {body}
        """;

    [Fact]
    public void Parse_FullExample_ReadsEveryCheck()
    {
        var document = ParseValid(FullPolicy);
        Assert.Equal("production", document.Name);
        Assert.Equal(2, document.Rules.Count);
        var rule = document.Rules[0];
        Assert.Equal("prod-images", rule.Name);
        Assert.Equal(PolicyMode.Enforce, rule.Mode);
        Assert.True(rule.AppliesTo("prod/x/y"));
        Assert.True(rule.AppliesTo("team-a/app"));
        Assert.False(rule.AppliesTo("team-a/x/y"));
        Assert.False(rule.AppliesTo("team-ab/app"));
        Assert.Equal(["registry.example.com", "localhost:5000"], rule.AllowedRegistries!);
        Assert.Equal(2, rule.ApprovedBaseImages!.Count);
        Assert.Equal("release", Assert.Single(rule.RequireSignature!.Keys).Name);
        Assert.Equal(1, rule.RequireSignature.Minimum);
        Assert.Equal(SeverityRating.High, rule.Vulnerabilities!.MaximumSeverity);
        Assert.True(rule.Vulnerabilities.IgnoreUnfixed);
        var allowed = Assert.Single(rule.Vulnerabilities.Allow);
        Assert.Equal(("CVE-2024-1", "not reachable", new DateOnly(2027, 1, 1)), (allowed.Id, allowed.Reason, allowed.Expires));
        Assert.Equal(new ImageRequirement(true, 90, true), rule.Image);
        Assert.Same(rule.RequireSignature.Keys, rule.Provenance!.Keys);
        Assert.Equal(PolicyMode.Audit, document.Rules[1].Mode);
        Assert.Null(document.Rules[1].Vulnerabilities);
        Assert.StartsWith("sha256:", document.ContentHash, StringComparison.Ordinal);
        Assert.Equal(2, document.RulesFor("prod/app").Count);
        Assert.Single(document.RulesFor("other/app"));
    }

    [Fact]
    public void Parse_SamePolicySpelledDifferently_HasTheSameHash()
    {
        var block = ParseValid(Rule("""
                  mode: enforce
                  allowedRegistries:
                    - b.example
                    - a.example
            """));
        var flow = ParseValid(Rule("""
                  allowedRegistries: [a.example, "b.example", A.EXAMPLE]
            """));
        Assert.Equal(block.CanonicalJson, flow.CanonicalJson);
        Assert.Equal(block.ContentHash, flow.ContentHash);
    }

    [Fact]
    public void Parse_ChangedMeaning_ChangesTheHash()
    {
        var enforce = ParseValid(Rule("      allowedRegistries: [a.example]"));
        var audit = ParseValid(Rule("      mode: audit\n      allowedRegistries: [a.example]"));
        var other = ParseValid(Rule("      allowedRegistries: [b.example]"));
        Assert.NotEqual(enforce.ContentHash, audit.ContentHash);
        Assert.NotEqual(enforce.ContentHash, other.ContentHash);
    }

    [Fact]
    public void Parse_ManyErrors_ReportsEveryOneWithPathAndPosition()
    {
        var errors = ParseErrors("""
            apiVersion: bulwark.dev/v1
            kind: ImagePolicy
            metadata: {name: p}
            spec:
              rules:
                - name: a
                  repositories: ["**"]
                  colour: blue
                - name: b
                  repositories: ["bad pattern/"]
                  allowedRegistries: ["https://evil.example/x"]
                - name: c
                  repositories: ["**"]
                  vulnerabilities: {maximumSeverity: extreme, ignoreUnfixed: maybe, allow: [{id: CVE-1, reason: r, expires: tomorrow}]}
                  image: {maximumAgeDays: "ninety"}
                - name: a
                  repositories: ["**"]
                  requireSignature: {keys: [{name: k, publicKey: "not a key"}], minimum: 3}
            """);
        var byPath = errors.ToDictionary(e => e.Path, e => e);
        Assert.Contains("spec.rules[0].colour", byPath.Keys);
        Assert.Contains("spec.rules[0]", byPath.Keys);                      // no check
        Assert.Contains("spec.rules[1].repositories[0]", byPath.Keys);
        Assert.Contains("spec.rules[1].allowedRegistries[0]", byPath.Keys);
        Assert.Contains("spec.rules[2].vulnerabilities.maximumSeverity", byPath.Keys);
        Assert.Contains("spec.rules[2].vulnerabilities.ignoreUnfixed", byPath.Keys);
        Assert.Contains("spec.rules[2].vulnerabilities.allow[0].expires", byPath.Keys);
        Assert.Contains("spec.rules[2].image.maximumAgeDays", byPath.Keys);
        Assert.Contains("spec.rules[3].requireSignature.keys[0].publicKey", byPath.Keys);
        Assert.Contains("spec.rules[3].requireSignature.minimum", byPath.Keys);
        var severity = byPath["spec.rules[2].vulnerabilities.maximumSeverity"];
        Assert.Equal(14, severity.Line);
        Assert.Contains("extreme", severity.Message, StringComparison.Ordinal);
        Assert.Equal(8, byPath["spec.rules[0].colour"].Line);
        Assert.Equal(7, byPath["spec.rules[0].colour"].Column);
        Assert.Contains("line 14", severity.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateRuleNames_NamesTheFirstUse()
    {
        var errors = ParseErrors("""
            apiVersion: bulwark.dev/v1
            kind: ImagePolicy
            metadata: {name: p}
            spec:
              rules:
                - {name: same, repositories: ["**"], image: {noRootUser: true}}
                - {name: same, repositories: ["**"], image: {noSecrets: true}}
            """);
        var error = Assert.Single(errors);
        Assert.Equal("spec.rules[1].name", error.Path);
        Assert.Contains("spec.rules[0]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the policy is empty")]
    [InlineData("- a\n- b", "must be a mapping")]
    [InlineData("apiVersion: v2\nkind: ImagePolicy\nmetadata: {name: p}\nspec: {rules: [{name: r, repositories: ['**'], image: {noRootUser: true}}]}", "must be bulwark.dev/v1")]
    [InlineData("apiVersion: bulwark.dev/v1\nkind: Pod\nmetadata: {name: p}\nspec: {rules: [{name: r, repositories: ['**'], image: {noRootUser: true}}]}", "must be ImagePolicy")]
    [InlineData("apiVersion: bulwark.dev/v1\nkind: ImagePolicy\nmetadata: {name: p}\nspec: {rules: []}", "at least one rule")]
    [InlineData("apiVersion: bulwark.dev/v1\nkind: ImagePolicy\nspec: {rules: [{name: r, repositories: ['**'], image: {noRootUser: true}}]}", "is required")]
    [InlineData("apiVersion: bulwark.dev/v1\nkind: ImagePolicy\nmetadata: {name: Bad Name}\nspec: {rules: [{name: r, repositories: ['**'], image: {noRootUser: true}}]}", "lower-case")]
    [InlineData("a: [unclosed", "not valid YAML")]
    [InlineData("a: &x 1\nb: *x", "anchors and aliases")]
    [InlineData("a: 1\n---\nb: 2", "one YAML document")]
    [InlineData("a: 1\na: 2", "duplicate key")]
    public void Parse_BadDocument_IsRejectedWithAClearError(string yaml, string expected)
    {
        var errors = ParseErrors(yaml);
        Assert.Contains(errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("      mode: strict\n      image: {noRootUser: true}", "spec.rules[0].mode")]
    [InlineData("      allowedRegistries: []", "spec.rules[0].allowedRegistries")]
    [InlineData("      allowedRegistries: \"a.example\"", "spec.rules[0].allowedRegistries")]
    [InlineData("      allowedRegistries: [\"*.example.com\"]", "spec.rules[0].allowedRegistries[0]")]
    [InlineData("      allowedRegistries: [\"host:99999\"]", "spec.rules[0].allowedRegistries[0]")]
    [InlineData("      approvedBaseImages: [\"debian:12\"]", "spec.rules[0].approvedBaseImages[0]")]
    [InlineData("      approvedBaseImages: [\"registry.example/base/**:12\"]", "spec.rules[0].approvedBaseImages[0]")]
    [InlineData("      requireSignature: {minimum: 1}", "spec.rules[0].requireSignature.keys")]
    [InlineData("      requireSignature: {keys: []}", "spec.rules[0].requireSignature.keys")]
    [InlineData("      requireSignature: {keys: [{name: k}]}", "spec.rules[0].requireSignature.keys[0]")]
    [InlineData("      requireSignature: {keys: [{name: k, keyFile: k.pub}]}", "spec.rules[0].requireSignature.keys[0].keyFile")]
    [InlineData("      vulnerabilities: {ignoreUnfixed: true}", "spec.rules[0].vulnerabilities.maximumSeverity")]
    [InlineData("      vulnerabilities: {maximumSeverity: high, allow: [{id: CVE-1}]}", "spec.rules[0].vulnerabilities.allow[0].reason")]
    [InlineData("      vulnerabilities: {maximumSeverity: high, allow: [{id: CVE-1, reason: a}, {id: cve-1, reason: b}]}", "spec.rules[0].vulnerabilities.allow[1].id")]
    [InlineData("      vulnerabilities: {maximumSeverity: high, allow: [{id: CVE-1, reason: a, expires: 2027-02-30}]}", "spec.rules[0].vulnerabilities.allow[0].expires")]
    [InlineData("      image: {}", "spec.rules[0].image")]
    [InlineData("      image: {maximumAgeDays: 0}", "spec.rules[0].image.maximumAgeDays")]
    [InlineData("      image: {noRootUser: \"true\"}", "spec.rules[0].image.noRootUser")]
    [InlineData("      provenance: {required: true}", "spec.rules[0].provenance")]
    [InlineData("      image: {noRootUser: true}\n      unknown: 1", "spec.rules[0].unknown")]
    public void Parse_BadField_ReportsItsPath(string body, string path)
    {
        var errors = ParseErrors(Rule(body));
        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void Parse_BadPemKey_ReportsTheKeyError()
    {
        var errors = ParseErrors(Rule("      requireSignature: {keys: [{name: k, publicKey: \"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\\n\"}]}"));
        var error = Assert.Single(errors);
        Assert.Equal("spec.rules[0].requireSignature.keys[0].publicKey", error.Path);
        Assert.StartsWith("public key:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeyFile_IsReadRelativeToTheBaseDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("bulwark-policy-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "keys"));
            File.WriteAllText(Path.Combine(directory.FullName, "keys", "release.pub"), Pem);
            var options = new ImagePolicyParseOptions { BaseDirectory = directory.FullName };
            var result = ImagePolicyDocument.Parse(Rule("      requireSignature: {keys: [{name: release, keyFile: keys/release.pub}]}"), options);
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            var inline = ParseValid(Rule($"      requireSignature: {{keys: [{{name: release, publicKey: \"{Pem.Replace("\n", "\\n", StringComparison.Ordinal)}\"}}]}}"));
            Assert.Equal(inline.ContentHash, result.Document.ContentHash);

            foreach (var outside in new[] { "../release.pub", "keys/../../release.pub", "/etc/passwd" })
            {
                var errors = ParseErrors(Rule($"      requireSignature: {{keys: [{{name: k, keyFile: \"{outside}\"}}]}}"), options);
                Assert.Contains("outside the policy file's directory", Assert.Single(errors).Message, StringComparison.Ordinal);
            }

            var missing = ParseErrors(Rule("      requireSignature: {keys: [{name: k, keyFile: keys/none.pub}]}"), options);
            Assert.Contains("does not exist", Assert.Single(missing).Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Parse_OverTheSizeLimit_IsRefusedBeforeParsing()
    {
        var errors = ParseErrors(new string('#', (1024 * 1024) + 1));
        Assert.Contains("larger than", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyRules_IsRefused()
    {
        var rules = string.Concat(Enumerable.Range(0, 1001).Select(i => $"    - {{name: r{i}, repositories: ['**'], image: {{noRootUser: true}}}}\n"));
        var errors = ParseErrors($"apiVersion: bulwark.dev/v1\nkind: ImagePolicy\nmetadata: {{name: p}}\nspec:\n  rules:\n{rules}");
        var error = Assert.Single(errors);
        Assert.Equal("spec.rules", error.Path);
        Assert.Contains("at most 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepNesting_IsRefused()
    {
        var errors = ParseErrors("a: " + new string('[', 100) + new string(']', 100));
        Assert.Contains("nesting deeper", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ProvenanceWithOwnKeysAndRequiredFalse()
    {
        var own = ParseValid(Rule($"      provenance: {{keys: [{{name: ci, publicKey: \"{Pem.Replace("\n", "\\n", StringComparison.Ordinal)}\"}}]}}"));
        Assert.Equal("ci", Assert.Single(own.Rules[0].Provenance!.Keys).Name);
        var off = ParseValid(Rule($"      image: {{noSecrets: true}}\n      provenance: {{required: false, keys: [{{name: ci, publicKey: \"{Pem.Replace("\n", "\\n", StringComparison.Ordinal)}\"}}]}}"));
        Assert.Null(off.Rules[0].Provenance);
    }

    [Fact]
    public void Parse_KeyByNameOnly_TakesTheKeyGivenByTheCaller()
    {
        var key = VerificationKey.FromPem(Pem);
        var options = new ImagePolicyParseOptions { NamedKeys = new Dictionary<string, VerificationKey> { ["release"] = key } };
        var result = ImagePolicyDocument.Parse(Rule("      requireSignature: {keys: [{name: release}]}"), options);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(key.Fingerprint, Assert.Single(result.Document.Rules[0].RequireSignature!.Keys).Key.Fingerprint);

        var missing = ParseErrors(Rule("      requireSignature: {keys: [{name: other}]}"), options);
        Assert.Contains("--key other=FILE", Assert.Single(missing).Message, StringComparison.Ordinal);
        var both = ParseErrors(Rule("      requireSignature: {keys: [{name: k, publicKey: x, keyFile: y}]}"), options);
        Assert.Contains("not both", Assert.Single(both).Message, StringComparison.Ordinal);
    }
}
