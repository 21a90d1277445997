using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// A Packagist (Composer) package version, ordered as Composer's <c>Comparator</c> orders it: PHP's
/// <c>version_compare</c> (php-src <c>ext/standard/versioning.c</c>) after dropping a leading <c>v</c>.
/// </summary>
/// <remarks>
/// <para>The version is cut into parts at <c>.</c>, <c>-</c>, <c>_</c>, <c>+</c>, any other symbol, and every
/// digit/non-digit transition. Numeric parts compare by value; word parts by their special form, matched by prefix:
/// any other word &lt; <c>dev</c> &lt; <c>alpha</c>/<c>a</c> &lt; <c>beta</c>/<c>b</c> &lt; <c>RC</c>/<c>rc</c>
/// &lt; <c>#</c> &lt; <c>pl</c>/<c>p</c>; a number ranks as <c>#</c> against a word. When one version runs out,
/// its next extra part decides: a number makes the longer version greater, a word is ranked against <c>#</c>.</para>
/// <para>Unlike PHP, numbers never saturate at 2^63 and <c>#</c> is kept as a part of its own (PHP's canonical
/// form drops it when it is not the first character), so that it ranks as its special form wherever it appears.</para>
/// </remarks>
public sealed class ComposerVersion : IParsableVersion<ComposerVersion>
{
    private const int NumberRank = 4;

    private readonly string original;
    private readonly ImmutableArray<string> parts;

    private ComposerVersion(string original, ImmutableArray<string> parts)
    {
        this.original = original;
        this.parts = parts;
    }

    public static string EcosystemName => "Packagist";

    public static ComposerVersion Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out ComposerVersion? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!VersionText.TryCheckAscii(text, out failure))
        {
            return false;
        }

        var s = text.AsSpan();
        if (s[0] is 'v' or 'V')
        {
            s = s[1..];
        }

        var parts = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < s.Length;)
        {
            var start = i;
            if (char.IsAsciiDigit(s[i]))
            {
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }

                parts.Add(DecimalDigits.Canonical(s[start..i]));
            }
            else if (char.IsAsciiLetter(s[i]) || s[i] == '#')
            {
                while (i < s.Length && !char.IsAsciiDigit(s[i]) && (char.IsAsciiLetter(s[i]) || s[i] == '#'))
                {
                    i++;
                }

                parts.Add(s[start..i].ToString());
            }
            else
            {
                i++;
            }
        }

        if (parts.Count == 0)
        {
            failure = "a version needs at least one number or word";
            return false;
        }

        version = new ComposerVersion(text, parts.ToImmutable());
        return true;
    }

    public int CompareTo(ComposerVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var count = Math.Min(parts.Length, other.parts.Length);
        for (var i = 0; i < count; i++)
        {
            var result = ComparePart(parts[i], other.parts[i]);
            if (result != 0)
            {
                return result;
            }
        }

        return parts.Length == other.parts.Length ? 0
            : parts.Length > other.parts.Length ? CompareExtra(parts, count)
            : -CompareExtra(other.parts, count);
    }

    public override string ToString() => original;

    private static int CompareExtra(ImmutableArray<string> longer, int from)
    {
        for (var i = from; i < longer.Length; i++)
        {
            if (IsNumber(longer[i]))
            {
                return 1;
            }

            var result = Rank(longer[i]).CompareTo(NumberRank);
            if (result != 0)
            {
                return Math.Sign(result);
            }
        }

        return 0;
    }

    private static int ComparePart(string a, string b) => (IsNumber(a), IsNumber(b)) switch
    {
        (true, true) => DecimalDigits.Compare(a, b),
        (true, false) => Math.Sign(NumberRank.CompareTo(Rank(b))),
        (false, true) => Math.Sign(Rank(a).CompareTo(NumberRank)),
        _ => Math.Sign(Rank(a).CompareTo(Rank(b))),
    };

    private static bool IsNumber(string part) => char.IsAsciiDigit(part[0]);

    // php-src compare_special_version_forms: the first form the word starts with, case-sensitively.
    private static int Rank(string word) =>
        word.StartsWith("dev", StringComparison.Ordinal) ? 0
        : word.StartsWith('a') ? 1
        : word.StartsWith('b') ? 2
        : word.StartsWith("RC", StringComparison.Ordinal) || word.StartsWith("rc", StringComparison.Ordinal) ? 3
        : word.StartsWith('#') ? NumberRank
        : word.StartsWith('p') ? 5
        : -1;
}
