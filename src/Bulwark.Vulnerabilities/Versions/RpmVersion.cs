using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// An RPM package version, <c>[epoch:]version[-release]</c>, ordered as rpm orders it: epochs numerically (absent
/// is 0), then version and release with <c>rpmvercmp</c> (rpm <c>rpmio/rpmvercmp.c</c>).
/// </summary>
/// <remarks>
/// rpmvercmp splits strings into runs of ASCII digits and ASCII letters; every other byte only separates runs.
/// Digit runs compare numerically, letter runs as bytes, and a digit run is newer than a letter run.
/// <c>~</c> sorts before anything, even the end of the string (pre-releases); <c>^</c> sorts after the end of the
/// string but before anything else (post-release snapshots). A prefix before the first colon is an epoch only when
/// it is all digits; otherwise the colon is just a separator. A version without a release sorts before the same
/// version with one.
/// </remarks>
public sealed class RpmVersion : IParsableVersion<RpmVersion>
{
    private RpmVersion(string epoch, string version, string? release)
    {
        Epoch = epoch;
        Version = version;
        Release = release;
    }

    public static string EcosystemName => "Red Hat";

    /// <summary>The epoch as canonical digits; "0" when absent.</summary>
    public string Epoch { get; }

    public string Version { get; }

    /// <summary>The text after the last hyphen, or null when there is no hyphen.</summary>
    public string? Release { get; }

    public static RpmVersion Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out RpmVersion? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!VersionText.TryCheck(text, out failure))
        {
            return false;
        }

        var rest = text.AsSpan();
        var epoch = "0";
        var colon = rest.IndexOf(':');
        if (colon > 0 && DecimalDigits.IsAll(rest[..colon]))
        {
            epoch = DecimalDigits.Canonical(rest[..colon]);
            rest = rest[(colon + 1)..];
        }

        string? release = null;
        var hyphen = rest.LastIndexOf('-');
        if (hyphen >= 0)
        {
            release = rest[(hyphen + 1)..].ToString();
            rest = rest[..hyphen];
        }

        version = new RpmVersion(epoch, rest.ToString(), release);
        return true;
    }

    public int CompareTo(RpmVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var result = DecimalDigits.Compare(Epoch, other.Epoch);
        if (result == 0)
        {
            result = Compare(Version, other.Version);
        }

        if (result == 0)
        {
            result = (Release, other.Release) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                _ => Compare(Release, other.Release),
            };
        }

        return result;
    }

    public override string ToString() =>
        (Epoch == "0" ? string.Empty : Epoch + ":") + Version + (Release is null ? string.Empty : "-" + Release);

    /// <summary>rpmvercmp: compares two version or release strings.</summary>
    public static int Compare(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 0;
        }

        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && IsSeparator(a[i]))
            {
                i++;
            }

            while (j < b.Length && IsSeparator(b[j]))
            {
                j++;
            }

            var ac = i < a.Length ? a[i] : '\0';
            var bc = j < b.Length ? b[j] : '\0';
            if (ac == '~' || bc == '~')
            {
                if (ac != '~')
                {
                    return 1;
                }

                if (bc != '~')
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            if (ac == '^' || bc == '^')
            {
                if (i >= a.Length)
                {
                    return -1;
                }

                if (j >= b.Length)
                {
                    return 1;
                }

                if (ac != '^')
                {
                    return 1;
                }

                if (bc != '^')
                {
                    return -1;
                }

                i++;
                j++;
                continue;
            }

            if (i >= a.Length || j >= b.Length)
            {
                break;
            }

            var numeric = char.IsAsciiDigit(ac);
            var aEnd = RunEnd(a, i, numeric);
            var bEnd = RunEnd(b, j, numeric);

            // Runs of different kinds: the numeric one is newer.
            if (bEnd == j)
            {
                return numeric ? 1 : -1;
            }

            var result = numeric
                ? DecimalDigits.Compare(a.AsSpan(i, aEnd - i), b.AsSpan(j, bEnd - j))
                : Math.Sign(a.AsSpan(i, aEnd - i).SequenceCompareTo(b.AsSpan(j, bEnd - j)));
            if (result != 0)
            {
                return result;
            }

            i = aEnd;
            j = bEnd;
        }

        if (i >= a.Length && j >= b.Length)
        {
            return 0;
        }

        return i >= a.Length ? -1 : 1;
    }

    private static bool IsSeparator(char c) => !char.IsAsciiLetterOrDigit(c) && c is not ('~' or '^');

    private static int RunEnd(string s, int start, bool numeric)
    {
        var end = start;
        while (end < s.Length && (numeric ? char.IsAsciiDigit(s[end]) : char.IsAsciiLetter(s[end])))
        {
            end++;
        }

        return end;
    }
}
