using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// A Hackage (Haskell, Cabal) package version: one or more non-negative integers separated by dots, ordered as
/// lists (Cabal <c>Distribution.Types.Version</c>): component by component, and a version that extends another is
/// greater (<c>1.0 &lt; 1.0.0</c>). Version tags are deprecated in Cabal and rejected.
/// </summary>
public sealed class HackageVersion : IParsableVersion<HackageVersion>
{
    private readonly ImmutableArray<string> components;

    private HackageVersion(ImmutableArray<string> components) => this.components = components;

    public static string EcosystemName => "Hackage";

    public static HackageVersion Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out HackageVersion? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!VersionText.TryCheckAscii(text, out failure))
        {
            return false;
        }

        var s = text.AsSpan();
        var components = ImmutableArray.CreateBuilder<string>();
        foreach (var range in s.Split('.'))
        {
            if (!DecimalDigits.IsAll(s[range]))
            {
                failure = "components must be numbers separated by '.'";
                return false;
            }

            components.Add(DecimalDigits.Canonical(s[range]));
        }

        version = new HackageVersion(components.ToImmutable());
        return true;
    }

    public int CompareTo(HackageVersion? other) =>
        other is null ? 1 : NumericComponents.Compare(components, other.components);

    public override string ToString() => string.Join('.', components);
}
