using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// An Alpine package version, <c>number{.number}…{letter}{_suffix{number}}…{~hash}{-r#}</c>, ordered as apk-tools
/// orders it (apk-package(5), apk-tools <c>src/version.c</c>).
/// </summary>
/// <remarks>
/// <para>Order: numeric components (a component after the first with a leading zero compares as a string, the
/// Gentoo rule apk inherits); then the optional letter (none sorts first); then suffixes, where
/// <c>alpha &lt; beta &lt; pre &lt; rc &lt; (none) &lt; cvs &lt; svn &lt; git &lt; hg &lt; p</c>; then the
/// <c>-r</c> revision. Commit hashes are not ordered.</para>
/// <para>apk itself orders strings that break this grammar (<c>apk version -t</c> accepts them), and so do
/// Alpine's security databases, so such strings are accepted here too: the well-formed prefix is compared first,
/// a version with unparsed trailing text sorts before one without, and two versions whose grammar breaks before
/// the revision compare as plain strings. <see cref="IsWellFormed"/> tells the two kinds apart.</para>
/// </remarks>
public sealed class ApkVersion : IParsableVersion<ApkVersion>
{
    // Weights of the suffixes; "no suffix" sits between the pre-release and post-release ones.
    private static readonly string[] SuffixNames = ["alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"];
    private static readonly int[] SuffixWeights = [0, 1, 2, 3, 5, 6, 7, 8, 9];
    private const int NoSuffixWeight = 4;

    private readonly string original;
    private readonly ImmutableArray<string> components;
    private readonly char letter;
    private readonly string? letterNumber;
    private readonly ImmutableArray<(int Weight, string Number)> suffixes;
    private readonly string revision;
    private readonly string remainder;
    private readonly bool brokenBeforeRevision;

    private ApkVersion(
        string original,
        ImmutableArray<string> components,
        char letter,
        string? letterNumber,
        ImmutableArray<(int Weight, string Number)> suffixes,
        string hash,
        string revision,
        string remainder,
        bool brokenBeforeRevision)
    {
        this.original = original;
        this.components = components;
        this.letter = letter;
        this.letterNumber = letterNumber;
        this.suffixes = suffixes;
        CommitHash = hash;
        this.revision = revision;
        this.remainder = remainder;
        this.brokenBeforeRevision = brokenBeforeRevision;
    }

    public static string EcosystemName => "Alpine";

    /// <summary>The <c>~hash</c> part without its tilde; empty when absent.</summary>
    public string CommitHash { get; }

    /// <summary>Whether the whole string follows the apk version grammar.</summary>
    public bool IsWellFormed => !components.IsEmpty && remainder.Length == 0;

    public static ApkVersion Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out ApkVersion? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!VersionText.TryCheckAscii(text, out failure))
        {
            return false;
        }

        var s = text.AsSpan();
        var i = 0;

        // Numbers: digits, each optionally followed by one dot.
        var components = ImmutableArray.CreateBuilder<string>();
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            var digits = DecimalDigits.LeadingCount(s[i..]);
            components.Add(s.Slice(i, digits).ToString());
            i += digits;
            if (i < s.Length && s[i] == '.')
            {
                i++;
            }
        }

        // The letter must follow a digit; apk-tools 2.x also reads digits straight after it (openssh's "6.6.2p1").
        var letter = '\0';
        string? letterNumber = null;
        if (i > 0 && i < s.Length && char.IsAsciiDigit(s[i - 1]) && char.IsAsciiLetterLower(s[i]))
        {
            letter = s[i++];
            var digits = DecimalDigits.LeadingCount(s[i..]);
            if (digits > 0)
            {
                letterNumber = DecimalDigits.Canonical(s.Slice(i, digits));
                i += digits;
            }
        }

        var suffixes = ImmutableArray.CreateBuilder<(int, string)>();
        while (i < s.Length && s[i] == '_' && TryReadSuffix(s[(i + 1)..], out var weight, out var number, out var length))
        {
            suffixes.Add((weight, number));
            i += 1 + length;
        }

        var hash = string.Empty;
        if (i + 1 < s.Length && s[i] == '~' && char.IsAsciiHexDigitLower(s[i + 1]))
        {
            var start = ++i;
            while (i < s.Length && char.IsAsciiHexDigitLower(s[i]))
            {
                i++;
            }

            hash = s[start..i].ToString();
        }

        var revision = "0";
        var broken = false;
        if (i < s.Length)
        {
            if (s[i..].StartsWith("-r", StringComparison.Ordinal))
            {
                i += 2;
                var digits = DecimalDigits.LeadingCount(s[i..]);
                revision = DecimalDigits.Canonical(s.Slice(i, digits));
                i += digits;
            }
            else
            {
                broken = true;
            }
        }

        version = new ApkVersion(
            text,
            components.ToImmutable(),
            letter,
            letterNumber,
            suffixes.ToImmutable(),
            hash,
            revision,
            s[i..].ToString(),
            broken);
        return true;
    }

    public int CompareTo(ApkVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (brokenBeforeRevision && other.brokenBeforeRevision)
        {
            return Math.Sign(string.CompareOrdinal(original, other.original));
        }

        var count = Math.Min(components.Length, other.components.Length);
        for (var k = 0; k < count; k++)
        {
            var result = CompareComponent(k, components[k], other.components[k]);
            if (result != 0)
            {
                return result;
            }
        }

        // apk: when one version has more numeric components, it is the greater one (1.0 > 1, 1.0 > 1_p1).
        if (components.Length != other.components.Length)
        {
            return components.Length < other.components.Length ? -1 : 1;
        }

        if (letter != other.letter)
        {
            return letter < other.letter ? -1 : 1;
        }

        if (letterNumber != other.letterNumber)
        {
            return letterNumber is null ? -1 : other.letterNumber is null ? 1 : DecimalDigits.Compare(letterNumber, other.letterNumber);
        }

        count = Math.Max(suffixes.Length, other.suffixes.Length);
        for (var k = 0; k < count; k++)
        {
            var (weight, number) = SuffixAt(k);
            var (otherWeight, otherNumber) = other.SuffixAt(k);
            if (weight != otherWeight)
            {
                return weight < otherWeight ? -1 : 1;
            }

            var result = DecimalDigits.Compare(number, otherNumber);
            if (result != 0)
            {
                return result;
            }
        }

        var revisionResult = DecimalDigits.Compare(revision, other.revision);
        if (revisionResult != 0)
        {
            return revisionResult;
        }

        // Trailing text apk could not parse makes a version sort before the same version without it.
        return (remainder.Length == 0, other.remainder.Length == 0) switch
        {
            (true, false) => 1,
            (false, true) => -1,
            _ => 0,
        };
    }

    public override string ToString() => original;

    private (int Weight, string Number) SuffixAt(int index) =>
        index < suffixes.Length ? suffixes[index] : (NoSuffixWeight, "0");

    private static int CompareComponent(int index, string a, string b)
    {
        // Gentoo/apk: after the first component, a leading zero means "compare as a decimal fraction", i.e. as text.
        if (index > 0 && (a[0] == '0' || b[0] == '0'))
        {
            return Math.Sign(string.CompareOrdinal(a, b));
        }

        return DecimalDigits.Compare(a, b);
    }

    private static bool TryReadSuffix(ReadOnlySpan<char> s, out int weight, out string number, out int length)
    {
        for (var k = 0; k < SuffixNames.Length; k++)
        {
            if (s.StartsWith(SuffixNames[k], StringComparison.Ordinal))
            {
                var name = SuffixNames[k].Length;
                var digits = DecimalDigits.LeadingCount(s[name..]);
                weight = SuffixWeights[k];
                number = DecimalDigits.Canonical(s.Slice(name, digits));
                length = name + digits;
                return true;
            }
        }

        weight = 0;
        number = "0";
        length = 0;
        return false;
    }
}
