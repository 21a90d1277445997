using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// A CRAN (R) package version: at least two non-negative integers separated by <c>.</c> or <c>-</c>, ordered as R's
/// <c>package_version</c> orders them — component by component, and a version that extends another is greater
/// (so <c>0.1.0 &lt; 0.1.0.0</c>). See R's <c>numeric_version</c> and "Writing R Extensions" §1.1.1.
/// </summary>
public sealed class CranVersion : IParsableVersion<CranVersion>
{
    private readonly string original;
    private readonly ImmutableArray<string> components;

    private CranVersion(string original, ImmutableArray<string> components)
    {
        this.original = original;
        this.components = components;
    }

    public static string EcosystemName => "CRAN";

    public static CranVersion Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out CranVersion? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!VersionText.TryCheckAscii(text, out failure))
        {
            return false;
        }

        var s = text.AsSpan();
        var components = ImmutableArray.CreateBuilder<string>();
        foreach (var range in s.SplitAny(".-"))
        {
            if (!DecimalDigits.IsAll(s[range]))
            {
                failure = "components must be numbers separated by '.' or '-'";
                return false;
            }

            components.Add(DecimalDigits.Canonical(s[range]));
        }

        if (components.Count < 2)
        {
            failure = "a package version has at least two components";
            return false;
        }

        version = new CranVersion(text, components.ToImmutable());
        return true;
    }

    public int CompareTo(CranVersion? other) =>
        other is null ? 1 : NumericComponents.Compare(components, other.components);

    public override string ToString() => original;
}
