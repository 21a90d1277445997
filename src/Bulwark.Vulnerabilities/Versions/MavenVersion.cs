using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// A Maven artifact version ordered by the POM reference's "Version Order Specification"
/// (maven.apache.org/pom.html#version-order-specification).
/// </summary>
/// <remarks>
/// <para>The version (case-insensitive) is split into tokens at dots, hyphens and digit/letter transitions; each
/// token keeps its separator as a prefix (a transition counts as a hyphen) and an empty token means 0. <c>cr</c> is
/// <c>rc</c>; <c>ga</c>, <c>final</c> and <c>release</c> are the empty qualifier; <c>a</c>, <c>b</c>, <c>m</c>
/// directly followed by a digit are alpha, beta, milestone. Trailing null tokens (0 and the empty qualifier) are
/// trimmed from the end and again before every remaining hyphen.</para>
/// <para>Tokens then compare in order, the shorter version padded with nulls. With the same prefix, numbers compare
/// by value and beat qualifiers, and qualifiers rank
/// <c>alpha &lt; beta &lt; milestone &lt; rc &lt; snapshot &lt; (release) &lt; sp &lt;</c> unknown ones
/// alphabetically; with different prefixes <c>.qualifier &lt; -qualifier &lt; -number &lt; .number</c>.</para>
/// <para>Any ASCII string is a Maven version, so only empty, over-long or non-ASCII strings are rejected.</para>
/// </remarks>
public sealed class MavenVersion : IParsableVersion<MavenVersion>
{
    private static readonly string[] Qualifiers = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

    private readonly string original;
    private readonly ImmutableArray<Token> tokens;

    private MavenVersion(string original, ImmutableArray<Token> tokens)
    {
        this.original = original;
        this.tokens = tokens;
    }

    public static string EcosystemName => "Maven";

    public static MavenVersion Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out MavenVersion? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!VersionText.TryCheckAscii(text, out failure))
        {
            return false;
        }

        version = new MavenVersion(text, Tokenize(text.ToLowerInvariant()));
        return true;
    }

    public int CompareTo(MavenVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var count = Math.Max(tokens.Length, other.tokens.Length);
        for (var i = 0; i < count; i++)
        {
            var result = (i < tokens.Length, i < other.tokens.Length) switch
            {
                (true, true) => Compare(tokens[i], other.tokens[i]),
                (true, false) => CompareWithNull(tokens[i]),
                _ => -CompareWithNull(other.tokens[i]),
            };
            if (result != 0)
            {
                return result;
            }
        }

        return 0;
    }

    public override string ToString() => original;

    private static int Compare(Token a, Token b)
    {
        if (a.Prefix != b.Prefix)
        {
            return PrefixOrder(a).CompareTo(PrefixOrder(b));
        }

        return (a.IsNumber, b.IsNumber) switch
        {
            (true, true) => DecimalDigits.Compare(a.Value, b.Value),
            (true, false) => 1,
            (false, true) => -1,
            _ => CompareQualifiers(a.Value, b.Value),
        };
    }

    // A padding null takes the other token's prefix: it is 0 against a number and the release against a qualifier.
    private static int CompareWithNull(Token token) =>
        token.IsNumber ? DecimalDigits.Compare(token.Value, "0") : CompareQualifiers(token.Value, string.Empty);

    private static int PrefixOrder(Token token) => (token.Prefix, token.IsNumber) switch
    {
        ('.', false) => 0,
        ('-', false) => 1,
        ('-', true) => 2,
        _ => 3,
    };

    private static int CompareQualifiers(string a, string b)
    {
        var aRank = Array.IndexOf(Qualifiers, a);
        var bRank = Array.IndexOf(Qualifiers, b);
        return (aRank >= 0, bRank >= 0) switch
        {
            (true, true) => aRank.CompareTo(bRank),
            (true, false) => -1,
            (false, true) => 1,
            _ => Math.Sign(string.CompareOrdinal(a, b)),
        };
    }

    private static ImmutableArray<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var prefix = '.';
        var start = 0;
        for (var i = 0; i <= s.Length; i++)
        {
            if (i < s.Length && s[i] is not ('.' or '-'))
            {
                continue;
            }

            AddPieces(tokens, s.AsSpan(start, i - start), prefix);
            if (i < s.Length)
            {
                prefix = s[i];
            }

            start = i + 1;
        }

        // Trim null tokens from the end, then again before each remaining hyphen, moving towards the start.
        var k = tokens.Count - 1;
        while (k > 0)
        {
            if (tokens[k].IsNull)
            {
                tokens.RemoveAt(k);
                k--;
                continue;
            }

            while (k >= 0 && tokens[k].Prefix != '-')
            {
                k--;
            }

            k--;
        }

        return [.. tokens];
    }

    // Splits one dot/hyphen-separated piece at digit/letter transitions; the later parts get a hyphen prefix.
    private static void AddPieces(List<Token> tokens, ReadOnlySpan<char> raw, char prefix)
    {
        if (raw.IsEmpty)
        {
            tokens.Add(new Token(prefix, "0", IsNumber: true));
            return;
        }

        var start = 0;
        for (var i = 1; i <= raw.Length; i++)
        {
            if (i < raw.Length && char.IsAsciiDigit(raw[i]) == char.IsAsciiDigit(raw[i - 1]))
            {
                continue;
            }

            var piece = raw[start..i];
            if (char.IsAsciiDigit(piece[0]))
            {
                tokens.Add(new Token(prefix, DecimalDigits.Canonical(piece), IsNumber: true));
            }
            else
            {
                var followedByDigit = i < raw.Length;
                tokens.Add(new Token(prefix, NormalizeQualifier(piece.ToString(), followedByDigit), IsNumber: false));
            }

            prefix = '-';
            start = i;
        }
    }

    private static string NormalizeQualifier(string qualifier, bool followedByDigit) => qualifier switch
    {
        "a" when followedByDigit => "alpha",
        "b" when followedByDigit => "beta",
        "m" when followedByDigit => "milestone",
        "cr" => "rc",
        "ga" or "final" or "release" => string.Empty,
        _ => qualifier,
    };

    private readonly record struct Token(char Prefix, string Value, bool IsNumber)
    {
        public bool IsNull => IsNumber ? Value == "0" : Value.Length == 0;
    }
}
