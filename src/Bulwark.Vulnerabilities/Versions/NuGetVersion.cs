using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// A NuGet package version, <c>Major[.Minor[.Patch[.Revision]]][-Release][+Metadata]</c>, ordered as NuGet's
/// <c>VersionComparer.Default</c> orders it.
/// </summary>
/// <remarks>
/// One to four numeric parts (missing ones are 0, leading zeros allowed, as in <c>NuGetVersion.Parse</c>); a
/// release sorts after its pre-releases; pre-release labels compare one by one, numeric labels by value and before
/// alphanumeric ones, alphanumeric ones ordinally ignoring case; metadata is ignored.
/// See learn.microsoft.com/nuget/concepts/package-versioning.
/// </remarks>
public sealed class NuGetVersion : IParsableVersion<NuGetVersion>
{
    private readonly ImmutableArray<string> numbers;

    private NuGetVersion(ImmutableArray<string> numbers, ImmutableArray<string> release, string metadata)
    {
        this.numbers = numbers;
        ReleaseLabels = release;
        Metadata = metadata;
    }

    public static string EcosystemName => "NuGet";

    /// <summary>Major, minor, patch and revision as canonical digits.</summary>
    public ImmutableArray<string> Numbers => numbers;

    public ImmutableArray<string> ReleaseLabels { get; }

    public string Metadata { get; }

    public bool IsPrerelease => !ReleaseLabels.IsEmpty;

    public static NuGetVersion Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out NuGetVersion? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!VersionText.TryCheckAscii(text, out failure))
        {
            return false;
        }

        var s = text.AsSpan();
        var metadata = string.Empty;
        var plus = s.IndexOf('+');
        if (plus >= 0)
        {
            if (!IsLabelList(s[(plus + 1)..]))
            {
                failure = "metadata must be dot-separated non-empty identifiers of letters, digits and hyphens";
                return false;
            }

            metadata = s[(plus + 1)..].ToString();
            s = s[..plus];
        }

        var release = ImmutableArray<string>.Empty;
        var hyphen = s.IndexOf('-');
        if (hyphen >= 0)
        {
            var labels = s[(hyphen + 1)..];
            if (!IsLabelList(labels))
            {
                failure = "release labels must be dot-separated non-empty identifiers of letters, digits and hyphens";
                return false;
            }

            var builder = ImmutableArray.CreateBuilder<string>();
            foreach (var range in labels.Split('.'))
            {
                builder.Add(labels[range].ToString());
            }

            release = builder.ToImmutable();
            s = s[..hyphen];
        }

        Span<Range> parts = stackalloc Range[5];
        var count = s.Split(parts, '.');
        if (count > 4)
        {
            failure = "a version has at most four numeric parts";
            return false;
        }

        var numbers = ImmutableArray.CreateBuilder<string>(4);
        for (var k = 0; k < 4; k++)
        {
            if (k >= count)
            {
                numbers.Add("0");
                continue;
            }

            var part = s[parts[k]];
            if (!DecimalDigits.IsAll(part))
            {
                failure = "version parts must be numbers";
                return false;
            }

            numbers.Add(DecimalDigits.Canonical(part));
        }

        version = new NuGetVersion(numbers.MoveToImmutable(), release, metadata);
        return true;
    }

    public int CompareTo(NuGetVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        for (var k = 0; k < 4; k++)
        {
            var result = DecimalDigits.Compare(numbers[k], other.numbers[k]);
            if (result != 0)
            {
                return result;
            }
        }

        if (IsPrerelease != other.IsPrerelease)
        {
            return IsPrerelease ? -1 : 1;
        }

        var count = Math.Min(ReleaseLabels.Length, other.ReleaseLabels.Length);
        for (var k = 0; k < count; k++)
        {
            var a = ReleaseLabels[k];
            var b = other.ReleaseLabels[k];
            var result = (DecimalDigits.IsAll(a), DecimalDigits.IsAll(b)) switch
            {
                (true, true) => DecimalDigits.Compare(a, b),
                (true, false) => -1,
                (false, true) => 1,
                _ => Math.Sign(string.Compare(a, b, StringComparison.OrdinalIgnoreCase)),
            };
            if (result != 0)
            {
                return result;
            }
        }

        return ReleaseLabels.Length.CompareTo(other.ReleaseLabels.Length);
    }

    public override string ToString() =>
        string.Join('.', numbers) + (IsPrerelease ? "-" + string.Join('.', ReleaseLabels) : string.Empty)
        + (Metadata.Length == 0 ? string.Empty : "+" + Metadata);

    private static bool IsLabelList(ReadOnlySpan<char> text)
    {
        foreach (var range in text.Split('.'))
        {
            var label = text[range];
            if (label.IsEmpty)
            {
                return false;
            }

            foreach (var c in label)
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
