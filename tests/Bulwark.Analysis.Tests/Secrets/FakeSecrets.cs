using System.Text;

namespace Bulwark.Analysis.Tests.Secrets;

/// <summary>Deterministic random-looking values in each credential's format (never real credentials).</summary>
internal static class FakeSecrets
{
    public const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    public const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    public const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    public const string Base64 = Alnum + "+/";

    public static string Random(string alphabet, int length, int seed)
    {
        var random = new Random(seed);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }

    public static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Pem(string label, string body) =>
        $"-----BEGIN {label}-----\n{body}\n{Random(Base64, 64, 99)}\n-----END {label}-----\n";

    public static string GcpServiceAccount(string body) => $$"""
        {
          "type": "service_account",
          "project_id": "bulwark-test",
          "private_key_id": "{{Random("0123456789abcdef", 40, 5)}}",
          "private_key": "-----BEGIN PRIVATE KEY-----\n{{body}}\n-----END PRIVATE KEY-----\n",
          "client_email": "scanner@bulwark-test.iam.gserviceaccount.com"
        }
        """;
}
