using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// Orders the version strings of one package ecosystem by that ecosystem's own rules.
/// A string the ecosystem would not accept is reported, never silently placed somewhere in the order.
/// </summary>
public interface IVersionComparer
{
    /// <summary>The ecosystem whose rules this comparer implements (an OSV ecosystem name, or a family such as "SemVer").</summary>
    string Ecosystem { get; }

    /// <summary>Whether <paramref name="version"/> is a version this comparer can order.</summary>
    bool IsValid(string? version);

    /// <summary>
    /// Compares two versions: negative when <paramref name="a"/> sorts first, zero when they are equal, positive otherwise.
    /// </summary>
    /// <exception cref="VersionFormatException">Either version is malformed for this ecosystem.</exception>
    int Compare(string a, string b);

    /// <summary>
    /// Parses a version once for many comparisons with <see cref="CompareParsed"/> (an advisory's listed versions and
    /// range events against every installed version). On failure <paramref name="failure"/> says which rule it breaks.
    /// </summary>
    bool TryParse([NotNullWhen(true)] string? version, [NotNullWhen(true)] out object? parsed, [NotNullWhen(false)] out string? failure);

    /// <summary>Compares two results of this comparer's <see cref="TryParse"/>, as <see cref="Compare"/> compares their strings.</summary>
    int CompareParsed(object a, object b);

    /// <summary>
    /// A string two versions share exactly when <see cref="Compare"/> says they are equal (the ecosystem's canonical
    /// form), or null when the string is not a version or the ecosystem has no such form: then only parsed versions
    /// can be compared for equality.
    /// </summary>
    string? EqualityKey(string version);
}
