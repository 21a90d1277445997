using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// A Debian package version, <c>[epoch:]upstream_version[-debian_revision]</c>, ordered as dpkg orders it.
/// Debian Policy §5.6.12 gives the grammar; dpkg's <c>lib/dpkg/parsehelp.c</c> (parseversion) and
/// <c>lib/dpkg/version.c</c> (verrevcmp) are the reference implementation.
/// </summary>
public sealed class DpkgVersion : IParsableVersion<DpkgVersion>
{
    private DpkgVersion(string epoch, string upstream, string revision)
    {
        Epoch = epoch;
        Upstream = upstream;
        Revision = revision;
    }

    public static string EcosystemName => "Debian";

    /// <summary>The epoch as canonical digits; "0" when absent.</summary>
    public string Epoch { get; }

    public string Upstream { get; }

    /// <summary>The Debian revision; empty when absent, which dpkg orders like "0".</summary>
    public string Revision { get; }

    public static DpkgVersion Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out DpkgVersion? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!VersionText.TryCheckAscii(text, out failure))
        {
            return false;
        }

        var rest = text.AsSpan();
        var epoch = "0";
        var colon = rest.IndexOf(':');
        if (colon >= 0)
        {
            var epochDigits = rest[..colon];
            if (epochDigits.IsEmpty)
            {
                failure = "epoch is empty";
                return false;
            }

            // dpkg parses the epoch with strtol and rejects anything above INT_MAX.
            if (!DecimalDigits.IsAll(epochDigits))
            {
                failure = "epoch is not a number";
                return false;
            }

            epoch = DecimalDigits.Canonical(epochDigits);
            if (DecimalDigits.Compare(epoch, "2147483647") > 0)
            {
                failure = "epoch is too big";
                return false;
            }

            rest = rest[(colon + 1)..];
            if (rest.IsEmpty)
            {
                failure = "nothing after the epoch's colon";
                return false;
            }
        }

        var revision = ReadOnlySpan<char>.Empty;
        var hyphen = rest.LastIndexOf('-');
        if (hyphen >= 0)
        {
            revision = rest[(hyphen + 1)..];
            rest = rest[..hyphen];
            if (revision.IsEmpty)
            {
                failure = "revision is empty";
                return false;
            }
        }

        if (rest.IsEmpty)
        {
            failure = "upstream version is empty";
            return false;
        }

        if (!char.IsAsciiDigit(rest[0]))
        {
            failure = "upstream version must start with a digit";
            return false;
        }

        foreach (var c in rest)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '+' or '-' or '~' or ':'))
            {
                failure = $"invalid character '{c}' in upstream version";
                return false;
            }
        }

        foreach (var c in revision)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '+' or '~'))
            {
                failure = $"invalid character '{c}' in revision";
                return false;
            }
        }

        version = new DpkgVersion(epoch, rest.ToString(), revision.ToString());
        return true;
    }

    public int CompareTo(DpkgVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var result = DecimalDigits.Compare(Epoch, other.Epoch);
        if (result == 0)
        {
            result = CompareFragment(Upstream, other.Upstream);
        }

        if (result == 0)
        {
            result = CompareFragment(Revision, other.Revision);
        }

        return result;
    }

    public override string ToString() =>
        (Epoch == "0" ? string.Empty : Epoch + ":") + Upstream + (Revision.Length == 0 ? string.Empty : "-" + Revision);

    // dpkg verrevcmp: alternate non-digit and digit runs. Non-digits compare by a weight where '~' sorts before
    // everything (even the end of the string), letters before other symbols; digit runs compare numerically.
    private static int CompareFragment(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var ac = Weight(a, i);
                var bc = Weight(b, j);
                if (ac != bc)
                {
                    return ac < bc ? -1 : 1;
                }

                i++;
                j++;
            }

            var aDigits = DecimalDigits.LeadingCount(a.AsSpan(i));
            var bDigits = DecimalDigits.LeadingCount(b.AsSpan(j));
            var result = DecimalDigits.Compare(a.AsSpan(i, aDigits), b.AsSpan(j, bDigits));
            if (result != 0)
            {
                return result;
            }

            i += aDigits;
            j += bDigits;
        }

        return 0;
    }

    private static int Weight(string s, int index)
    {
        if (index >= s.Length)
        {
            return 0;
        }

        var c = s[index];
        return c switch
        {
            _ when char.IsAsciiDigit(c) => 0,
            _ when char.IsAsciiLetter(c) => c,
            '~' => -1,
            _ => c + 256,
        };
    }
}
