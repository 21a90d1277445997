using System.Text;
using Bulwark.Analysis.Secrets;
using static Bulwark.Analysis.Tests.Secrets.FakeSecrets;

namespace Bulwark.Analysis.Tests.Secrets;

/// <summary>
/// Files are scanned as UTF-8 bytes (decoded into a pooled buffer, only keyword windows copied into strings): every
/// finding must be the one the string scan makes of the decoded text — same rule, line and redacted value, same order.
/// </summary>
public sealed class SecretByteScanTests
{
    private static readonly SecretScanner Scanner = new(SecretScanOptions.Default);

    private static void AssertSameAsStringScan(string text, SecretScanner? scanner = null)
    {
        scanner ??= Scanner;
        var expected = scanner.Scan(text, out var expectedTruncated).Select(m => (m.RuleId, m.Line, m.Match)).ToList();
        var actual = scanner.Scan(Encoding.UTF8.GetBytes(text), out var truncated).Select(m => (m.RuleId, m.Line, m.Match)).ToList();

        Assert.Equal(expected, actual);
        Assert.Equal(expectedTruncated, truncated);
    }

    [Theory]
    [MemberData(nameof(SecretRuleTests.Cases), MemberType = typeof(SecretRuleTests))]
    public void EveryRuleCase_FindsTheSameInBytes(string ruleId, string positive, string allowed, string nearMiss)
    {
        Assert.Contains(Scanner.Scan(Encoding.UTF8.GetBytes(positive), out _), m => m.RuleId == ruleId);
        AssertSameAsStringScan(positive);
        AssertSameAsStringScan(allowed);
        AssertSameAsStringScan(nearMiss);
    }

    [Fact]
    public void AllRuleCasesInOneFile_WithLongLinesAndKeysOverSeveralLines()
    {
        var text = new StringBuilder("# config\n");
        foreach (var row in SecretRuleTests.Cases)
        {
            text.Append("x = 1\n").Append((string)row[1]).Append('\n').Append((string)row[2]).Append('\n');
        }

        // A secret far along a long line (found in an overlapping window) and one across a window boundary.
        text.Append(new string('a', 9000)).Append(" ghp_").Append(Random(Alnum, 36, 60)).Append(' ').Append(new string('b', 5000)).Append('\n');
        text.Append(new string('c', 4096 - 512 - 10)).Append(" npm_").Append(Random(Alnum, 36, 61)).Append('\n');
        text.Append("token = \"").Append(Random(Alnum, 30, 62)).Append("\" password: ").Append(Random(Alnum, 20, 63)).Append('\n');

        var found = Scanner.Scan(Encoding.UTF8.GetBytes(text.ToString()), out _);

        Assert.True(found.Count >= SecretRuleTests.Cases.Count, $"only {found.Count} findings");
        AssertSameAsStringScan(text.ToString());
    }

    [Fact]
    public void FindingsCap_IsTheSame()
    {
        var scanner = new SecretScanner(new SecretScanOptions { MaxFindingsPerFile = 3 });
        var text = string.Join('\n', Enumerable.Range(0, 10).Select(i => "ghp_" + Random(Alnum, 36, 200 + i)));

        Assert.Equal(3, scanner.Scan(Encoding.UTF8.GetBytes(text), out var truncated).Count);
        Assert.True(truncated);
        AssertSameAsStringScan(text, scanner);
    }

    [Fact]
    public void InvalidUtf8_ReadsAsReplacementCharacters_LikeTheDecodedString()
    {
        var bytes = Encoding.UTF8.GetBytes("caf\u00e9 \n\u00ff" + "GH=ghp_" + Random(Alnum, 36, 70) + "\n").ToList();
        bytes.InsertRange(2, [0xc3, 0x28, 0xff, 0xfe]);
        var utf8 = bytes.ToArray();

        var expected = Scanner.Scan(Encoding.UTF8.GetString(utf8), out _).Select(m => (m.RuleId, m.Line, m.Match));
        var actual = Scanner.Scan(utf8, out _).Select(m => (m.RuleId, m.Line, m.Match));

        Assert.Equal(["github-pat"], actual.Select(m => m.RuleId));
        Assert.Equal(expected, actual);
    }
}
