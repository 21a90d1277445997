using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// A Python package version ordered by PEP 440 (packaging.python.org "Version specifiers"), as the
/// <c>packaging</c> library's <c>Version</c> orders it.
/// </summary>
/// <remarks>
/// <para>Accepts the permissive spellings PEP 440 normalises (case, a leading <c>v</c>, <c>alpha/beta/c/pre/preview</c>,
/// <c>rev/r</c>, implicit post releases <c>1.0-1</c>, optional separators and numbers). Order: epoch, release
/// (trailing zeros ignored), then <c>.devN</c> of a plain release &lt; pre-releases (a &lt; b &lt; rc) &lt;
/// release &lt; post-releases, with <c>.devN</c> just before the version it qualifies; then the local label, where
/// a version without one sorts first, numeric segments beat alphanumeric ones and compare by value.</para>
/// <para>Strings that are not PEP 440 versions are accepted as <em>legacy</em> versions, ordered as setuptools'
/// <c>parse_version</c> and packaging before 22.0 did (<c>LegacyVersion</c>): before every PEP 440 version, among
/// themselves by their normalised parts. pip and PyPI still hold such versions for old releases.
/// <see cref="IsLegacy"/> reports them.</para>
/// </remarks>
public sealed class Pep440Version : IParsableVersion<Pep440Version>
{
    private static readonly string[] PreLabels = ["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"];
    private static readonly string[] PostLabels = ["post", "rev", "r"];

    private readonly ImmutableArray<string> release;
    private readonly (char Phase, string Number)? pre;
    private readonly string? post;
    private readonly string? dev;
    private readonly ImmutableArray<string> local;
    private readonly ImmutableArray<string> legacyParts;
    private readonly string legacyText = string.Empty;

    private Pep440Version(
        string epoch,
        ImmutableArray<string> release,
        (char, string)? pre,
        string? post,
        string? dev,
        ImmutableArray<string> local)
    {
        Epoch = epoch;
        this.release = release;
        this.pre = pre;
        this.post = post;
        this.dev = dev;
        this.local = local;
        legacyParts = [];
    }

    private Pep440Version(string legacyText, ImmutableArray<string> legacyParts)
    {
        this.legacyText = legacyText;
        Epoch = "0";
        release = [];
        local = [];
        this.legacyParts = legacyParts;
        IsLegacy = true;
    }

    public static string EcosystemName => "PyPI";

    public string Epoch { get; }

    /// <summary>Whether the string is not a PEP 440 version and is ordered by the legacy rules.</summary>
    public bool IsLegacy { get; }

    public bool IsPrerelease => pre is not null || dev is not null;

    public static Pep440Version Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out Pep440Version? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!VersionText.TryCheckAscii(text, out failure))
        {
            return false;
        }

        var lower = text.ToLowerInvariant();
        version = TryParseStandard(lower) ?? new Pep440Version(text, LegacyParts(lower));
        return true;
    }

    /// <summary>
    /// The version's canonical form, equal for two strings exactly when <see cref="CompareTo"/> says they are equal:
    /// epoch (when not 0), release without trailing zeros, then pre, post, dev and local parts in their normalised
    /// spelling (<c>1.0RC1</c> and <c>1.0.0rc01</c> are both <c>1rc1</c>); a legacy version's normalised parts,
    /// length-prefixed, behind a <c>~</c> that no PEP 440 version starts with. Null when the text is not accepted.
    /// A plain release without leading zeros (<c>1.2.3</c>, most listed versions) is keyed without being parsed.
    /// </summary>
    public static string? EqualityKey(string text)
    {
        if (IsPlainRelease(text, out var length))
        {
            return length == text.Length ? text : text[..length];
        }

        return TryParse(text, out var version, out _) ? version.Key() : null;
    }

    public int CompareTo(Pep440Version? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (IsLegacy || other.IsLegacy)
        {
            return (IsLegacy, other.IsLegacy) switch
            {
                (true, false) => -1,
                (false, true) => 1,
                _ => CompareLegacy(legacyParts, other.legacyParts),
            };
        }

        var result = DecimalDigits.Compare(Epoch, other.Epoch);
        if (result == 0)
        {
            result = CompareRelease(release, other.release);
        }

        if (result == 0)
        {
            result = PreKey().CompareTo(other.PreKey());
            if (result == 0 && pre is { } p && other.pre is { } q)
            {
                result = p.Phase != q.Phase ? p.Phase.CompareTo(q.Phase) : DecimalDigits.Compare(p.Number, q.Number);
            }
        }

        if (result == 0)
        {
            // No post release sorts before any post release.
            result = CompareOptional(post, other.post, absentFirst: true);
        }

        if (result == 0)
        {
            // No dev release sorts after any dev release.
            result = CompareOptional(dev, other.dev, absentFirst: false);
        }

        if (result == 0)
        {
            result = CompareLocal(local, other.local);
        }

        return Math.Sign(result);
    }

    public override string ToString()
    {
        if (IsLegacy)
        {
            return legacyText;
        }

        return (Epoch == "0" ? string.Empty : Epoch + "!") + string.Join('.', release)
            + (pre is { } p ? (p.Phase == 'r' ? "rc" : p.Phase.ToString()) + p.Number : string.Empty)
            + (post is null ? string.Empty : ".post" + post)
            + (dev is null ? string.Empty : ".dev" + dev)
            + (local.IsEmpty ? string.Empty : "+" + string.Join('.', local));
    }

    private string Key()
    {
        var key = new StringBuilder(32);
        if (IsLegacy)
        {
            key.Append('~');
            foreach (var part in legacyParts)
            {
                key.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part);
            }

            return key.ToString();
        }

        if (Epoch != "0")
        {
            key.Append(Epoch).Append('!');
        }

        var count = release.Length;
        while (count > 1 && release[count - 1] == "0")
        {
            count--;
        }

        for (var k = 0; k < count; k++)
        {
            key.Append(k == 0 ? "" : ".").Append(release[k]);
        }

        if (pre is { } p)
        {
            key.Append(p.Phase == 'r' ? "rc" : p.Phase == 'a' ? "a" : "b").Append(p.Number);
        }

        if (post is not null)
        {
            key.Append(".post").Append(post);
        }

        if (dev is not null)
        {
            key.Append(".dev").Append(dev);
        }

        for (var k = 0; k < local.Length; k++)
        {
            key.Append(k == 0 ? '+' : '.').Append(local[k]);
        }

        return key.ToString();
    }

    // Digit runs without leading zeros ("0" itself allowed) joined by single dots, as TryParse reads them (the same
    // length limit); keyLength leaves out trailing ".0" segments but keeps the first segment.
    private static bool IsPlainRelease(string? text, out int keyLength)
    {
        keyLength = 0;
        if (string.IsNullOrEmpty(text) || text.Length > VersionText.MaxLength)
        {
            return false;
        }

        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '.')
            {
                if (!char.IsAsciiDigit(text[i]))
                {
                    return false;
                }

                continue;
            }

            var segment = text.AsSpan(start, i - start);
            if (segment.IsEmpty || segment.Length > 1 && segment[0] == '0')
            {
                return false;
            }

            if (start == 0 || segment is not "0")
            {
                keyLength = i;
            }

            start = i + 1;
        }

        return true;
    }

    // packaging's _cmpkey: a dev release without pre or post sorts before all pre-releases; no pre-release sorts last.
    private int PreKey() => pre is not null ? 0 : post is null && dev is not null ? -1 : 1;

    private static int CompareOptional(string? a, string? b, bool absentFirst) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => absentFirst ? -1 : 1,
        (_, null) => absentFirst ? 1 : -1,
        _ => DecimalDigits.Compare(a, b),
    };

    private static int CompareRelease(ImmutableArray<string> a, ImmutableArray<string> b)
    {
        var count = Math.Max(a.Length, b.Length);
        for (var k = 0; k < count; k++)
        {
            var result = DecimalDigits.Compare(k < a.Length ? a[k] : "0", k < b.Length ? b[k] : "0");
            if (result != 0)
            {
                return result;
            }
        }

        return 0;
    }

    private static int CompareLocal(ImmutableArray<string> a, ImmutableArray<string> b)
    {
        var count = Math.Min(a.Length, b.Length);
        for (var k = 0; k < count; k++)
        {
            var result = (DecimalDigits.IsAll(a[k]), DecimalDigits.IsAll(b[k])) switch
            {
                (true, true) => DecimalDigits.Compare(a[k], b[k]),
                (true, false) => 1,
                (false, true) => -1,
                _ => string.CompareOrdinal(a[k], b[k]),
            };
            if (result != 0)
            {
                return result;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static int CompareLegacy(ImmutableArray<string> a, ImmutableArray<string> b)
    {
        var count = Math.Min(a.Length, b.Length);
        for (var k = 0; k < count; k++)
        {
            var result = string.CompareOrdinal(a[k], b[k]);
            if (result != 0)
            {
                return result;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    // PEP 440 Appendix B grammar, read left to right; every optional separator is one of "-", "_", ".".
    private static Pep440Version? TryParseStandard(string s)
    {
        var i = 0;
        if (s.StartsWith('v'))
        {
            i++;
        }

        var epoch = "0";
        var digits = DecimalDigits.LeadingCount(s.AsSpan(i));
        if (digits > 0 && i + digits < s.Length && s[i + digits] == '!')
        {
            epoch = DecimalDigits.Canonical(s.AsSpan(i, digits));
            i += digits + 1;
        }

        var release = ImmutableArray.CreateBuilder<string>();
        while (true)
        {
            digits = DecimalDigits.LeadingCount(s.AsSpan(i));
            if (digits == 0)
            {
                return null;
            }

            release.Add(DecimalDigits.Canonical(s.AsSpan(i, digits)));
            i += digits;
            if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
            {
                i++;
                continue;
            }

            break;
        }

        (char, string)? pre = null;
        var at = SkipSeparator(s, i);
        if (TryMatch(s, at, PreLabels, out var label))
        {
            i = at + label.Length;
            var phase = label switch
            {
                "alpha" or "a" => 'a',
                "beta" or "b" => 'b',
                _ => 'r',
            };
            pre = (phase, ReadNumber(s, ref i));
        }

        string? post = null;
        if (i + 1 < s.Length && s[i] == '-' && char.IsAsciiDigit(s[i + 1]))
        {
            i++;
            digits = DecimalDigits.LeadingCount(s.AsSpan(i));
            post = DecimalDigits.Canonical(s.AsSpan(i, digits));
            i += digits;
        }
        else
        {
            at = SkipSeparator(s, i);
            if (TryMatch(s, at, PostLabels, out label))
            {
                i = at + label.Length;
                post = ReadNumber(s, ref i);
            }
        }

        string? dev = null;
        at = SkipSeparator(s, i);
        if (string.CompareOrdinal(s, at, "dev", 0, 3) == 0)
        {
            i = at + 3;
            dev = ReadNumber(s, ref i);
        }

        var local = ImmutableArray<string>.Empty;
        if (i < s.Length && s[i] == '+')
        {
            var segments = s[(i + 1)..].Split('-', '_', '.');
            foreach (var segment in segments)
            {
                if (segment.Length == 0 || !segment.All(char.IsAsciiLetterOrDigit))
                {
                    return null;
                }
            }

            local = [.. segments.Select(segment => DecimalDigits.IsAll(segment) ? DecimalDigits.Canonical(segment) : segment)];
            i = s.Length;
        }

        return i == s.Length ? new Pep440Version(epoch, release.ToImmutable(), pre, post, dev, local) : null;
    }

    private static int SkipSeparator(string s, int i) => i < s.Length && s[i] is '-' or '_' or '.' ? i + 1 : i;

    private static bool TryMatch(string s, int at, string[] labels, [NotNullWhen(true)] out string? label)
    {
        foreach (var candidate in labels)
        {
            if (string.CompareOrdinal(s, at, candidate, 0, candidate.Length) == 0 && at + candidate.Length <= s.Length)
            {
                label = candidate;
                return true;
            }
        }

        label = null;
        return false;
    }

    // An optional separator and number after a pre, post or dev label; the number defaults to 0.
    private static string ReadNumber(string s, ref int i)
    {
        var at = SkipSeparator(s, i);
        var digits = DecimalDigits.LeadingCount(s.AsSpan(at));
        if (digits == 0)
        {
            // A separator with no number after it still belongs to this segment, as in the PEP's regular expression.
            i = at;
            return "0";
        }

        i = at + digits;
        return DecimalDigits.Canonical(s.AsSpan(at, digits));
    }

    // setuptools/packaging<22 LegacyVersion: split into digit runs, letter runs, "." and "-", and runs of anything
    // else; numbers are zero-padded to 8 so that they sort as text; "*final" ends the list; trailing zero and
    // "final-" parts before a pre-release marker are dropped.
    private static ImmutableArray<string> LegacyParts(string s)
    {
        var parts = new List<string>();
        var i = 0;
        while (i <= s.Length)
        {
            string part;
            if (i == s.Length)
            {
                part = "*final";
                i++;
            }
            else
            {
                var start = i;
                var c = s[i];
                if (char.IsAsciiDigit(c))
                {
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        i++;
                    }
                }
                else if (char.IsAsciiLetterLower(c))
                {
                    while (i < s.Length && char.IsAsciiLetterLower(s[i]))
                    {
                        i++;
                    }
                }
                else if (c is '.' or '-')
                {
                    i++;
                }
                else
                {
                    while (i < s.Length && !char.IsAsciiDigit(s[i]) && !char.IsAsciiLetterLower(s[i]) && s[i] is not ('.' or '-'))
                    {
                        i++;
                    }
                }

                part = s[start..i] switch
                {
                    "pre" or "preview" or "rc" => "c",
                    "-" => "final-",
                    "dev" => "@",
                    var other => other,
                };
                if (part == ".")
                {
                    continue;
                }

                part = char.IsAsciiDigit(part[0]) ? part.PadLeft(8, '0') : "*" + part;
            }

            if (part[0] == '*')
            {
                if (string.CompareOrdinal(part, "*final") < 0)
                {
                    while (parts.Count > 0 && parts[^1] == "*final-")
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }
                }

                while (parts.Count > 0 && parts[^1] == "00000000")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }

            parts.Add(part);
        }

        return [.. parts];
    }
}
