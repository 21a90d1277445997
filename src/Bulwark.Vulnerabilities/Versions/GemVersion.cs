using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// A RubyGems version ordered as <c>Gem::Version#&lt;=&gt;</c> orders it (rubygems <c>lib/rubygems/version.rb</c>).
/// </summary>
/// <remarks>
/// Segments are runs of digits or of letters (a <c>-</c> means <c>.pre.</c>); trailing zeros are dropped from the
/// leading numeric segments and from the rest; segments then compare one by one, missing ones as 0, numbers by
/// value, strings byte-wise, and a string segment (a pre-release) sorts before a number. Gem's grammar requires a
/// dot before a letter in the first segment; a letter run straight after the leading digits (<c>1beta</c>) is
/// accepted here and read as Gem's segment scanner reads it (<c>1.beta</c>), because advisories contain such versions.
/// </remarks>
public sealed class GemVersion : IParsableVersion<GemVersion>
{
    private readonly string original;
    private readonly ImmutableArray<string> segments;

    private GemVersion(string original, ImmutableArray<string> segments)
    {
        this.original = original;
        this.segments = segments;
    }

    public static string EcosystemName => "RubyGems";

    /// <summary>Whether any segment is a letter run (Gem's <c>prerelease?</c>).</summary>
    public bool IsPrerelease => segments.Any(s => !char.IsAsciiDigit(s[0]));

    public static GemVersion Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out GemVersion? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!VersionText.TryCheckAscii(text, out failure))
        {
            return false;
        }

        if (!IsGemGrammar(text))
        {
            failure = "expected digits, then dot-separated letters and digits, then an optional -prerelease";
            return false;
        }

        // Scan digit and letter runs; separators ('.' and '-') only split.
        var scanned = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var start = i;
            if (char.IsAsciiDigit(text[i]))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                scanned.Add(DecimalDigits.Canonical(text.AsSpan(start, i - start)));
            }
            else if (char.IsAsciiLetter(text[i]))
            {
                while (i < text.Length && char.IsAsciiLetter(text[i]))
                {
                    i++;
                }

                scanned.Add(text[start..i]);
            }
            else
            {
                if (text[i] == '-')
                {
                    scanned.Add("pre");
                }

                i++;
            }
        }

        var firstString = scanned.FindIndex(s => !char.IsAsciiDigit(s[0]));
        var numericCount = firstString < 0 ? scanned.Count : firstString;
        var canonical = DropTrailingZeros(scanned.GetRange(0, numericCount));
        canonical.AddRange(DropTrailingZeros(scanned.GetRange(numericCount, scanned.Count - numericCount)));
        version = new GemVersion(text, [.. canonical]);
        return true;
    }

    public int CompareTo(GemVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var count = Math.Max(segments.Length, other.segments.Length);
        for (var i = 0; i < count; i++)
        {
            var a = i < segments.Length ? segments[i] : "0";
            var b = i < other.segments.Length ? other.segments[i] : "0";
            var aNumber = char.IsAsciiDigit(a[0]);
            var bNumber = char.IsAsciiDigit(b[0]);
            var result = (aNumber, bNumber) switch
            {
                (true, true) => DecimalDigits.Compare(a, b),
                (false, true) => -1,
                (true, false) => 1,
                _ => Math.Sign(string.CompareOrdinal(a, b)),
            };
            if (result != 0)
            {
                return result;
            }
        }

        return 0;
    }

    public override string ToString() => original;

    private static List<string> DropTrailingZeros(List<string> segments)
    {
        var end = segments.Count;
        while (end > 0 && segments[end - 1] == "0")
        {
            end--;
        }

        return segments.GetRange(0, end);
    }

    // Gem::Version::VERSION_PATTERN: [0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?
    // with letters also allowed straight after the leading digits.
    private static bool IsGemGrammar(string s)
    {
        var hyphen = s.IndexOf('-', StringComparison.Ordinal);
        var release = hyphen < 0 ? s.AsSpan() : s.AsSpan(0, hyphen);
        if (release.IsEmpty || !char.IsAsciiDigit(release[0]))
        {
            return false;
        }

        foreach (var range in release.Split('.'))
        {
            var segment = release[range];
            if (segment.IsEmpty || !segment.ContainsOnlyAsciiLettersOrDigits())
            {
                return false;
            }
        }

        if (hyphen < 0)
        {
            return true;
        }

        var prerelease = s.AsSpan(hyphen + 1);
        foreach (var range in prerelease.Split('.'))
        {
            var segment = prerelease[range];
            if (segment.IsEmpty)
            {
                return false;
            }

            foreach (var c in segment)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }
        }

        return true;
    }
}
