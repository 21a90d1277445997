using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// A Semantic Versioning 2.0.0 version, <c>MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]</c>, ordered by SemVer precedence
/// (semver.org §11). This is the order of npm (node-semver), Go modules (golang.org/x/mod/semver, where
/// pseudo-versions are pre-releases and <c>+incompatible</c> is build metadata) and Cargo version requirements.
/// </summary>
/// <remarks>
/// Build metadata is kept but never affects precedence. Numeric identifiers may be of any length and compare by
/// value. Accepted beyond the strict grammar, because the ecosystems' tools accept them and OSV data contains them:
/// a leading <c>v</c> (node-semver and Go accept it), and Go's shorthand <c>v1</c>/<c>v1.2</c> meaning
/// <c>v1.0.0</c>/<c>v1.2.0</c> (only without pre-release or build). Leading zeros, empty identifiers and extra
/// numeric components (<c>1.2.3.4</c>) are rejected.
/// </remarks>
public sealed class SemanticVersion : IParsableVersion<SemanticVersion>
{
    private SemanticVersion(
        string major,
        string minor,
        string patch,
        ImmutableArray<string> prerelease,
        ImmutableArray<string> build)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease;
        Build = build;
    }

    public static string EcosystemName => "SemVer";

    /// <summary>The major version as canonical decimal digits (any length).</summary>
    public string Major { get; }

    public string Minor { get; }

    public string Patch { get; }

    /// <summary>The dot-separated pre-release identifiers; empty for a release.</summary>
    public ImmutableArray<string> Prerelease { get; }

    /// <summary>The dot-separated build metadata identifiers; ignored by precedence.</summary>
    public ImmutableArray<string> Build { get; }

    public bool IsPrerelease => !Prerelease.IsEmpty;

    public static SemanticVersion Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out SemanticVersion? version,
        [NotNullWhen(false)] out string? failure) =>
        TryParse(text, allowLeadingZeros: false, out version, out failure);

    /// <summary>Parses with the grammar above; <paramref name="allowLeadingZeros"/> relaxes the SemVer leading-zero rule (Pub allows them).</summary>
    internal static bool TryParse(
        [NotNullWhen(true)] string? text,
        bool allowLeadingZeros,
        [NotNullWhen(true)] out SemanticVersion? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!VersionText.TryCheckAscii(text, out failure))
        {
            return false;
        }

        var s = text.AsSpan();
        if (s[0] == 'v')
        {
            s = s[1..];
        }

        var buildStart = s.IndexOf('+');
        var build = buildStart < 0 ? ReadOnlySpan<char>.Empty : s[(buildStart + 1)..];
        var beforeBuild = buildStart < 0 ? s : s[..buildStart];
        var preStart = beforeBuild.IndexOf('-');
        var pre = preStart < 0 ? ReadOnlySpan<char>.Empty : beforeBuild[(preStart + 1)..];
        var core = preStart < 0 ? beforeBuild : beforeBuild[..preStart];

        Span<Range> parts = stackalloc Range[4];
        var count = core.Split(parts, '.');
        if (count > 3)
        {
            failure = "a version has at most three numeric components";
            return false;
        }

        if (count < 3 && (preStart >= 0 || buildStart >= 0))
        {
            failure = "a version with a pre-release or build must have three numeric components";
            return false;
        }

        var numbers = new string[] { "0", "0", "0" };
        for (var k = 0; k < count; k++)
        {
            var part = core[parts[k]];
            if (!DecimalDigits.IsAll(part))
            {
                failure = "major, minor and patch must be numbers";
                return false;
            }

            if (!allowLeadingZeros && part.Length > 1 && part[0] == '0')
            {
                failure = "numeric components must not have leading zeros";
                return false;
            }

            numbers[k] = DecimalDigits.Canonical(part);
        }

        if (!TrySplitIdentifiers(pre, preStart >= 0, numericLeadingZeros: allowLeadingZeros, out var prerelease, out failure)
            || !TrySplitIdentifiers(build, buildStart >= 0, numericLeadingZeros: true, out var buildIds, out failure))
        {
            return false;
        }

        version = new SemanticVersion(numbers[0], numbers[1], numbers[2], prerelease, buildIds);
        return true;
    }

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var result = CompareCore(other);
        if (result != 0)
        {
            return result;
        }

        // A release has higher precedence than any of its pre-releases (§11.3).
        if (IsPrerelease != other.IsPrerelease)
        {
            return IsPrerelease ? -1 : 1;
        }

        return CompareIdentifiers(Prerelease, other.Prerelease);
    }

    /// <summary>Compares major, minor and patch only.</summary>
    internal int CompareCore(SemanticVersion other)
    {
        var result = DecimalDigits.Compare(Major, other.Major);
        if (result == 0)
        {
            result = DecimalDigits.Compare(Minor, other.Minor);
        }

        if (result == 0)
        {
            result = DecimalDigits.Compare(Patch, other.Patch);
        }

        return result;
    }

    /// <summary>
    /// SemVer §11.4: identifier by identifier; numeric ones by value and before alphanumeric ones, which compare in
    /// ASCII order; a shorter list that is a prefix of a longer one comes first.
    /// </summary>
    internal static int CompareIdentifiers(ImmutableArray<string> a, ImmutableArray<string> b)
    {
        var count = Math.Min(a.Length, b.Length);
        for (var k = 0; k < count; k++)
        {
            var aNumeric = DecimalDigits.IsAll(a[k]);
            var bNumeric = DecimalDigits.IsAll(b[k]);
            var result = (aNumeric, bNumeric) switch
            {
                (true, true) => DecimalDigits.Compare(a[k], b[k]),
                (true, false) => -1,
                (false, true) => 1,
                _ => Math.Sign(string.CompareOrdinal(a[k], b[k])),
            };
            if (result != 0)
            {
                return result;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}"
        + (IsPrerelease ? "-" + string.Join('.', Prerelease) : string.Empty)
        + (Build.IsEmpty ? string.Empty : "+" + string.Join('.', Build));

    private static bool TrySplitIdentifiers(
        ReadOnlySpan<char> text,
        bool present,
        bool numericLeadingZeros,
        out ImmutableArray<string> identifiers,
        [NotNullWhen(false)] out string? failure)
    {
        identifiers = [];
        failure = null;
        if (!present)
        {
            return true;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var range in text.Split('.'))
        {
            var identifier = text[range];
            if (identifier.IsEmpty)
            {
                failure = "pre-release and build identifiers must not be empty";
                return false;
            }

            foreach (var c in identifier)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    failure = $"invalid character '{c}' in a pre-release or build identifier";
                    return false;
                }
            }

            if (!numericLeadingZeros && identifier.Length > 1 && identifier[0] == '0' && DecimalDigits.IsAll(identifier))
            {
                failure = "numeric pre-release identifiers must not have leading zeros";
                return false;
            }

            builder.Add(identifier.ToString());
        }

        identifiers = builder.ToImmutable();
        return true;
    }
}
