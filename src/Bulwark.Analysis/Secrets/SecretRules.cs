using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Analysis.Secrets;

/// <summary>
/// The built-in secret rules (docs/analysis.md lists them). Token formats come from the issuers' documentation:
/// AWS access key ids, GitHub's prefixed tokens (github.blog 2021-04-05 "Behind GitHub's new authentication token
/// formats"), GitLab's <c>glpat-</c>, Slack's <c>xox?-</c>, Stripe's <c>sk_live_</c>/<c>rk_live_</c>, npm's
/// <c>npm_</c>, NuGet's <c>oy2</c> keys, PEM/OpenSSH/PGP armor (RFC 7468, RFC 4880 §6.2).
/// </summary>
internal static partial class SecretRules
{
    /// <summary>Entropy (bits per character) a generic assignment's value must reach.</summary>
    public const double GenericEntropyThreshold = 3.5;

    /// <summary>Shortest value a generic assignment reports.</summary>
    public const int GenericMinLength = 12;

    public static IReadOnlyList<SecretRule> All { get; } =
    [
        new()
        {
            Id = "aws-access-key-id", Category = "AWS", Severity = FindingSeverity.Critical, Title = "AWS access key ID",
            Keywords = ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "A3T"], Pattern = AwsAccessKeyId(),
        },
        new()
        {
            Id = "aws-secret-access-key", Category = "AWS", Severity = FindingSeverity.Critical, Title = "AWS secret access key",
            Keywords = ["aws"], Pattern = AwsSecretAccessKey(),
        },
        new()
        {
            Id = "azure-storage-connection-string", Category = "Azure", Severity = FindingSeverity.Critical,
            Title = "Azure Storage connection string with an account key", Keywords = ["AccountKey"], Pattern = AzureConnectionString(),
        },
        new()
        {
            Id = "azure-storage-account-key", Category = "Azure", Severity = FindingSeverity.Critical, Title = "Azure Storage account key",
            Keywords = ["azure", "storage"], Pattern = AzureAccountKey(),
        },
        new()
        {
            Id = "azure-sas-token", Category = "Azure", Severity = FindingSeverity.High, Title = "Azure shared access signature (SAS) token",
            Keywords = ["sig="], Pattern = AzureSasToken(),
        },
        new()
        {
            Id = "gcp-service-account", Category = "Google", Severity = FindingSeverity.Critical, Title = "Google Cloud service account key (JSON)",
            Keywords = ["service_account"], Pattern = GcpServiceAccount(), Resolve = GcpServiceAccountKey,
            NeedsWholeText = true,
        },
        new()
        {
            Id = "github-pat", Category = "GitHub", Severity = FindingSeverity.Critical, Title = "GitHub personal access token",
            Keywords = ["ghp_"], Pattern = GitHubPat(),
        },
        new()
        {
            Id = "github-oauth", Category = "GitHub", Severity = FindingSeverity.Critical, Title = "GitHub OAuth access token",
            Keywords = ["gho_"], Pattern = GitHubOAuth(),
        },
        new()
        {
            Id = "github-app-token", Category = "GitHub", Severity = FindingSeverity.Critical, Title = "GitHub App token",
            Keywords = ["ghu_", "ghs_"], Pattern = GitHubAppToken(),
        },
        new()
        {
            Id = "github-refresh-token", Category = "GitHub", Severity = FindingSeverity.Critical, Title = "GitHub refresh token",
            Keywords = ["ghr_"], Pattern = GitHubRefreshToken(),
        },
        new()
        {
            Id = "github-fine-grained-pat", Category = "GitHub", Severity = FindingSeverity.Critical, Title = "GitHub fine-grained personal access token",
            Keywords = ["github_pat_"], Pattern = GitHubFineGrainedPat(),
        },
        new()
        {
            Id = "gitlab-pat", Category = "GitLab", Severity = FindingSeverity.Critical, Title = "GitLab personal access token",
            Keywords = ["glpat-"], Pattern = GitLabPat(),
        },
        new()
        {
            Id = "slack-token", Category = "Slack", Severity = FindingSeverity.High, Title = "Slack token",
            Keywords = ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"], Pattern = SlackToken(),
        },
        new()
        {
            Id = "slack-webhook", Category = "Slack", Severity = FindingSeverity.Medium, Title = "Slack incoming webhook URL",
            Keywords = ["hooks.slack.com"], Pattern = SlackWebhook(),
        },
        new()
        {
            Id = "stripe-secret-key", Category = "Stripe", Severity = FindingSeverity.Critical, Title = "Stripe live secret or restricted key",
            Keywords = ["sk_live_", "rk_live_"], Pattern = StripeKey(),
        },
        new()
        {
            Id = "npm-access-token", Category = "npm", Severity = FindingSeverity.Critical, Title = "npm access token",
            Keywords = ["npm_"], Pattern = NpmToken(),
        },
        new()
        {
            Id = "nuget-api-key", Category = "NuGet", Severity = FindingSeverity.Critical, Title = "NuGet API key",
            Keywords = ["oy2"], Pattern = NuGetApiKey(),
        },
        new()
        {
            Id = "private-key", Category = "PrivateKey", Severity = FindingSeverity.High, Title = "Private key (PEM, OpenSSH or PGP)",
            Keywords = ["PRIVATE KEY"], Pattern = PrivateKeyHeader(), Resolve = PrivateKeyBody,
            NeedsWholeText = true,
        },
        new()
        {
            Id = "jwt", Category = "JWT", Severity = FindingSeverity.Medium, Title = "JSON Web Token",
            Keywords = ["eyJ"], Pattern = Jwt(), Resolve = JwtWithAlgorithm,
        },
        new()
        {
            Id = "database-url-password", Category = "Database", Severity = FindingSeverity.High, Title = "Database URL with a password",
            Keywords = ["postgres", "mysql", "mariadb", "mongodb", "redis", "amqp"], Pattern = DatabaseUrl(), Resolve = DatabasePassword,
        },
        new()
        {
            Id = "generic-secret-assignment", Category = "Generic", Severity = FindingSeverity.Medium,
            Title = "High-entropy value assigned to a secret-like name", Generic = true,
            Keywords = ["password", "passwd", "secret", "token", "api_key", "apikey", "api-key", "access_key", "accesskey",
                "access-key", "private_key", "privatekey", "auth_key", "authkey", "credential"],
            Pattern = GenericAssignment(), Resolve = HighEntropyValue,
        },
    ];

    public static IReadOnlySet<string> Ids { get; } = All.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

    // AWS key ids are 20 characters: a 4-letter type prefix and 16 base32 characters.
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?<secret>(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z2-7]{16})(?![A-Za-z0-9])")]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"(?i)aws_?(?:secret)?_?(?:access)?_?key[""']?\s{0,5}(?::=|=>|=|:)\s{0,5}[""']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])")]
    private static partial Regex AwsSecretAccessKey();

    // Storage account keys are 64 random bytes in base64: 86 characters and "==".
    [GeneratedRegex(@"(?i)AccountKey\s{0,5}=\s{0,5}(?<secret>[A-Za-z0-9+/]{86}==)")]
    private static partial Regex AzureConnectionString();

    [GeneratedRegex(@"(?i)(?:azure|storage)[A-Za-z0-9_.\-]{0,30}key[""']?\s{0,5}(?::=|=>|=|:)\s{0,5}[""']?(?<secret>[A-Za-z0-9+/]{86}==)")]
    private static partial Regex AzureAccountKey();

    // A SAS is a query string with a signed version (sv=YYYY-MM-DD) and the signature (sig=, base64, URL-encoded).
    [GeneratedRegex(@"(?<![A-Za-z0-9])sv=\d{4}-\d{2}-\d{2}&[^\s""'<>]{0,600}?(?<![A-Za-z0-9])sig=(?<secret>[A-Za-z0-9%+/]{30,128})")]
    private static partial Regex AzureSasToken();

    [GeneratedRegex(@"""type""\s{0,5}:\s{0,5}""service_account""")]
    private static partial Regex GcpServiceAccount();

    [GeneratedRegex(@"""private_key""\s{0,5}:\s{0,5}""-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----")]
    private static partial Regex GcpPrivateKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<secret>ghp_[A-Za-z0-9]{36})(?![A-Za-z0-9])")]
    private static partial Regex GitHubPat();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<secret>gho_[A-Za-z0-9]{36})(?![A-Za-z0-9])")]
    private static partial Regex GitHubOAuth();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<secret>gh[us]_[A-Za-z0-9]{36})(?![A-Za-z0-9])")]
    private static partial Regex GitHubAppToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<secret>ghr_[A-Za-z0-9]{36,76})(?![A-Za-z0-9])")]
    private static partial Regex GitHubRefreshToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9])")]
    private static partial Regex GitHubFineGrainedPat();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<secret>glpat-[A-Za-z0-9_\-]{20,64})(?![A-Za-z0-9_\-])")]
    private static partial Regex GitLabPat();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?<secret>xox[baprs]-[0-9A-Za-z]{10,48}(?:-[0-9A-Za-z]{1,64}){0,4})(?![A-Za-z0-9])")]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"https://hooks\.slack\.com/(?:services|workflows)/(?<secret>T[A-Z0-9]{6,12}/[AB][A-Z0-9]{6,12}/[A-Za-z0-9]{20,32})")]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?<secret>[sr]k_live_[0-9A-Za-z]{20,247})(?![A-Za-z0-9])")]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])")]
    private static partial Regex NpmToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?<secret>oy2[a-z0-9]{43})(?![A-Za-z0-9])")]
    private static partial Regex NuGetApiKey();

    // PKCS#1 (RSA/DSA/EC), PKCS#8 (plain and ENCRYPTED), OpenSSH and PGP secret key blocks.
    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]{1,20} ){0,2}PRIVATE KEY(?: BLOCK)?-----")]
    private static partial Regex PrivateKeyHeader();

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])(?<secret>eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,})")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?i)(?<![A-Za-z0-9+.\-])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?)://(?<user>[^:@/\s""'<>]{0,128}):(?<secret>[^@/\s""'<>]{1,256})@[A-Za-z0-9.\-_\[\]%]{1,256}")]
    private static partial Regex DatabaseUrl();

    [GeneratedRegex(@"(?i)(?<![A-Za-z0-9])[A-Za-z0-9_.\-]{0,40}(?:password|passwd|secret|token|api[_.\-]?key|access[_.\-]?key|private[_.\-]?key|auth[_.\-]?key|credentials?)[A-Za-z0-9_.\-]{0,40}[""']?\s{0,5}(?::=|=>|=|:)\s{0,5}[""']?(?<secret>[^\s""'`;,<>(){}\[\]]{12,200})")]
    private static partial Regex GenericAssignment();

    private static readonly string[] Placeholders =
        ["password", "passwd", "pass", "pwd", "secret", "changeme", "user", "username", "none", "null", "root", "admin"];

    /// <summary>A service account file is a secret when it carries a private key: report the key's body.</summary>
    private static string? GcpServiceAccountKey(string text, Match match)
    {
        var key = GcpPrivateKey().Match(text);
        return key.Success ? PrivateKeyBody(text, key) : null;
    }

    /// <summary>The first base64 line of the key body after the header (armor headers and escaped newlines skipped).</summary>
    private static string? PrivateKeyBody(string text, Match match)
    {
        var end = Math.Min(text.Length, match.Index + match.Length + 2048);
        var rest = text.AsSpan(match.Index + match.Length, end - match.Index - match.Length);
        var lines = 0;
        while (!rest.IsEmpty && lines++ < 16)
        {
            var newline = rest.IndexOfAny('\n', '\r');
            var escaped = rest.IndexOf("\\n", StringComparison.Ordinal);
            var cut = newline < 0 ? escaped : escaped < 0 ? newline : Math.Min(newline, escaped);
            var line = (cut < 0 ? rest : rest[..cut]).Trim();
            rest = cut < 0 ? [] : rest[(cut + (cut == escaped ? 2 : 1))..];
            if (line.IsEmpty || line.Contains(':'))
            {
                continue;
            }

            var body = line.TrimEnd("\\\"',");
            return body.Length >= 32 && !body.ContainsAnyExcept(Base64Chars) ? body.ToString() : null;
        }

        return null;
    }

    private static readonly System.Buffers.SearchValues<char> Base64Chars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private static string? JwtWithAlgorithm(string text, Match match)
    {
        var token = match.Groups["secret"].Value;
        var header = token[..token.IndexOf('.', StringComparison.Ordinal)];
        var padded = header.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        try
        {
            var json = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return json.Contains("\"alg\"", StringComparison.Ordinal) ? token : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? DatabasePassword(string text, Match match)
    {
        var password = match.Groups["secret"].Value;
        return password.Length < 3 || password[0] is '$' or '{' or '%' or '<' or '*'
            || Placeholders.Contains(password, StringComparer.OrdinalIgnoreCase)
            ? null
            : password;
    }

    private static string? HighEntropyValue(string text, Match match)
    {
        var value = match.Groups["secret"].Value;
        return value.Length >= GenericMinLength
            && value[0] is not ('$' or '%' or '&' or '*' or '/' or '@' or '.')
            && value.Any(char.IsAsciiDigit) && value.Any(char.IsAsciiLetter)
            && ShannonEntropy.Of(value) >= GenericEntropyThreshold
            && !QualifiedName().IsMatch(value)
            ? value
            : null;
    }

    // Code, not a value: Win32::GetCwd, os.environ.get, self.settings.password_hash, $obj->token.
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(?:(?:::|\.|->)[A-Za-z_][A-Za-z0-9_]*)+$")]
    private static partial Regex QualifiedName();
}
