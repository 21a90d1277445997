using Bulwark.Analysis.Secrets;
using static Bulwark.Analysis.Tests.Secrets.FakeSecrets;

namespace Bulwark.Analysis.Tests.Secrets;

/// <summary>Each built-in rule: a value in its format is found, the documented example is allowed, a near miss is not found.</summary>
public sealed class SecretRuleTests
{
    private static readonly string Jwt = Base64Url("""{"alg":"HS256","typ":"JWT"}""") + "." + Base64Url("""{"sub":"1234567890","name":"scanner"}""") + "." + Random(Alnum, 43, 7);

    public static TheoryData<string, string, string, string> Cases { get; } = new()
    {
        { "aws-access-key-id", $"export AWS_ACCESS_KEY_ID=AKIA{Random(Base32, 16, 1)}", "key_id = AKIAIOSFODNN7EXAMPLE", $"id = AKIA{Random(Base32, 15, 1)}" },
        {
            "aws-secret-access-key", $"aws_secret_access_key = {Random(Base64, 40, 2)}",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", $"aws_secret_access_key = {Random(Base64, 39, 2)}"
        },
        {
            "azure-storage-connection-string", $"DefaultEndpointsProtocol=https;AccountName=bulwark;AccountKey={Random(Base64, 86, 3)}==;EndpointSuffix=core.windows.net",
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;",
            $"AccountName=bulwark;AccountKey={Random(Base64, 40, 3)}=="
        },
        {
            "azure-storage-account-key", $"AZURE_STORAGE_KEY=\"{Random(Base64, 86, 4)}==\"",
            $"AZURE_STORAGE_KEY=\"{Random(Base64, 79, 4)}EXAMPLE==\"", "AZURE_STORAGE_KEY=\"$(cat /run/secrets/key)\""
        },
        {
            "azure-sas-token", $"https://bulwark.blob.core.windows.net/c/b?sv=2022-11-02&ss=b&srt=co&sp=r&se=2026-01-01T00:00:00Z&sig={Random(Alnum, 43, 5)}%3D",
            "https://bulwark.blob.core.windows.net/c/b?sv=2022-11-02&sp=r&sig=EXAMPLEsignatureEXAMPLEsignatureEXAMPLE%3D",
            $"https://bulwark.blob.core.windows.net/c/b?sp=r&sig={Random(Alnum, 43, 5)}%3D"
        },
        { "gcp-service-account", GcpServiceAccount(Random(Base64, 64, 6)), GcpServiceAccount("MIIEexampleKEYexampleKEYexampleKEYexampleKEYexampleKEY"), """{ "type": "service_account", "client_email": "a@b" }""" },
        { "github-pat", $"token: ghp_{Random(Alnum, 36, 8)}", "token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", $"token: ghp_{Random(Alnum, 35, 8)}" },
        { "github-oauth", $"gho_{Random(Alnum, 36, 9)}", "gho_EXAMPLE0000000000000000000000000000", $"gho_{Random(Alnum, 37, 9)}" },
        { "github-app-token", $"GH_TOKEN=ghs_{Random(Alnum, 36, 10)}", "GH_TOKEN=ghu_dummy00000000000000000000000000000", $"GH_TOKEN=ghx_{Random(Alnum, 36, 10)}" },
        { "github-refresh-token", $"ghr_{Random(Alnum, 76, 11)}", "ghr_EXAMPLE000000000000000000000000000000", $"ghr_{Random(Alnum, 30, 11)}" },
        {
            "github-fine-grained-pat", $"github_pat_{Random(Alnum, 22, 12)}_{Random(Alnum, 59, 12)}",
            $"github_pat_{Random(Alnum, 22, 12)}_EXAMPLE{Random(Alnum, 52, 12)}", $"github_pat_{Random(Alnum, 22, 12)}_{Random(Alnum, 40, 12)}"
        },
        { "gitlab-pat", $"GITLAB_TOKEN=glpat-{Random(Alnum, 20, 13)}", "GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx", $"GITLAB_TOKEN=glpat-{Random(Alnum, 19, 13)}" },
        {
            "slack-token", $"SLACK_BOT_TOKEN=xoxb-{Random("0123456789", 12, 14)}-{Random("0123456789", 13, 14)}-{Random(Alnum, 24, 14)}",
            "SLACK_BOT_TOKEN=xoxb-000000000000-0000000000000-EXAMPLEexampleEXAMPLE", $"SLACK_BOT_TOKEN=xoxz-{Random("0123456789", 12, 14)}-{Random(Alnum, 24, 14)}"
        },
        {
            "slack-webhook", $"https://hooks.slack.com/services/T{Random(Base32, 8, 15)}/B{Random(Base32, 10, 15)}/{Random(Alnum, 24, 15)}",
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "see https://hooks.slack.com/services/ for setup"
        },
        { "stripe-secret-key", $"STRIPE_KEY=sk_live_{Random(Alnum, 24, 16)}", "STRIPE_KEY=rk_live_EXAMPLE0123456789abcdefgh", $"STRIPE_KEY=sk_test_{Random(Alnum, 24, 16)}" },
        { "npm-access-token", $"//registry.npmjs.org/:_authToken=npm_{Random(Alnum, 36, 17)}", "//registry.npmjs.org/:_authToken=npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", $"npm_{Random(Alnum, 35, 17)}" },
        { "nuget-api-key", $"nuget push x.nupkg -k oy2{Random(Lower, 43, 18)}", "nuget push x.nupkg -k oy2example00000000000000000000000000000000000", $"nuget push x.nupkg -k oy2{Random(Lower, 30, 18)}" },
        { "private-key", Pem("RSA PRIVATE KEY", Random(Base64, 64, 19)), Pem("PRIVATE KEY", "MIIEexampleKEYexampleKEYexampleKEYexampleKEYexampleKEY"), Pem("PUBLIC KEY", Random(Base64, 64, 19)) },
        { "jwt", $"Authorization: Bearer {Jwt}", $"Authorization: Bearer {Jwt[..Jwt.LastIndexOf('.')]}.ExampleSignatureExample", $"Bearer {Base64Url("""{"foo":"bar"}""")}.{Base64Url("""{"sub":"x123456789"}""")}.{Random(Alnum, 43, 7)}" },
        {
            "database-url-password", $"DATABASE_URL=postgres://app:{Random(Alnum, 16, 20)}@db.internal:5432/app",
            "DATABASE_URL=postgres://app:example@db.internal:5432/app", "DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/app"
        },
        { "generic-secret-assignment", $"api_key = \"{Random(Alnum, 32, 21)}\"", "api_key = \"example-api-key-0123456789\"", "password = \"aaaaaaaaaaaa1111\"" },
    };

    private static readonly SecretScanner Scanner = new(SecretScanOptions.Default);

    private static List<SecretMatch> Scan(string text) => [.. Scanner.Scan(text, out _)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rule_FindsItsFormat_AllowsTheExample_IgnoresTheNearMiss(string ruleId, string positive, string allowed, string nearMiss)
    {
        var found = Assert.Single(Scan(positive), m => m.RuleId == ruleId);
        Assert.EndsWith(SecretRedaction.Mask, found.Match, StringComparison.Ordinal);
        Assert.DoesNotContain(Scan(allowed), m => m.RuleId == ruleId);
        Assert.DoesNotContain(Scan(nearMiss), m => m.RuleId == ruleId);
    }

    [Fact]
    public void EveryRule_HasACase()
    {
        Assert.Equal(SecretRules.Ids.Order(StringComparer.Ordinal), Cases.Select(c => (string)c[0]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("EC PRIVATE KEY")]
    [InlineData("OPENSSH PRIVATE KEY")]
    [InlineData("ENCRYPTED PRIVATE KEY")]
    [InlineData("DSA PRIVATE KEY")]
    public void PrivateKey_EveryPemLabel(string label)
    {
        Assert.Contains(Scan("key:\n" + Pem(label, Random(Base64, 70, 30))), m => m.RuleId == "private-key");
    }

    [Fact]
    public void PrivateKey_PgpArmorWithHeaders()
    {
        var armor = $"-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\nComment: test\n\n{Random(Base64, 64, 31)}\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n";

        var found = Assert.Single(Scan(armor));

        Assert.Equal(("private-key", 1), (found.RuleId, found.Line));
    }

    [Fact]
    public void Redaction_ShowsAtMostFourCharactersAndAQuarter()
    {
        Assert.Equal("AKIA*****", SecretRedaction.Redact("AKIAABCDEFGHIJKLMNOP"));
        Assert.Equal("s3*****", SecretRedaction.Redact("s3cr3tpw"));
        Assert.Equal("*****", SecretRedaction.Redact("abc"));
    }

    [Fact]
    public void LineNumbers_AreOneBased_AcrossKeywordFreeLines()
    {
        var text = "first\nsecond\n\nGH=ghp_" + Random(Alnum, 36, 40) + "\nlast\nnpm_" + Random(Alnum, 36, 41);

        Assert.Equal([("github-pat", 4), ("npm-access-token", 6)], Scan(text).Select(m => (m.RuleId, m.Line)));
    }

    [Fact]
    public void LongLine_IsSearchedInWindows_SoASecretFarAlongIsFound()
    {
        var text = new string('a', 100_000) + " ghp_" + Random(Alnum, 36, 42) + " " + new string('b', 10_000);

        Assert.Equal(["github-pat"], Scan(text).Select(m => m.RuleId));
    }

    [Fact]
    public void ManySecrets_AreCappedPerFile()
    {
        var scanner = new SecretScanner(new SecretScanOptions { MaxFindingsPerFile = 3 });
        var text = string.Join('\n', Enumerable.Range(0, 10).Select(i => "ghp_" + Random(Alnum, 36, 100 + i)));

        Assert.Equal(3, scanner.Scan(text, out var truncated).Count);
        Assert.True(truncated);
    }

    [Fact]
    public void UserAllowList_ByRuleAndByValuePattern()
    {
        var text = "ghp_" + Random(Alnum, 36, 50) + "\nnpm_" + Random(Alnum, 36, 51);
        var byRule = new SecretScanner(new SecretScanOptions { AllowRuleIds = ["github-pat"] });
        var byValue = new SecretScanner(new SecretScanOptions { AllowMatches = ["^npm_"] });

        Assert.Equal(["npm-access-token"], byRule.Scan(text, out _).Select(m => m.RuleId));
        Assert.Equal(["github-pat"], byValue.Scan(text, out _).Select(m => m.RuleId));
    }

    [Fact]
    public void InvalidAllowPattern_IsASpecificError()
    {
        var error = Assert.Throws<ArgumentException>(() => new SecretScanner(new SecretScanOptions { AllowMatches = ["(unclosed"] }));

        Assert.Contains("(unclosed", error.Message, StringComparison.Ordinal);
    }
}
