using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// A Dart/Flutter package version as pub orders it (dart-lang pub_semver <c>Version.compareTo</c>): SemVer 2.0.0
/// precedence, except that build metadata does count — a version without build sorts before the same version with
/// one, and builds compare identifier by identifier like pre-releases.
/// </summary>
/// <remarks>pub_semver allows leading zeros in numbers; the leading <c>v</c> and Go-style shorthand accepted by
/// <see cref="SemanticVersion"/> are accepted here too.</remarks>
public sealed class PubVersion : IParsableVersion<PubVersion>
{
    private PubVersion(SemanticVersion semantic) => Semantic = semantic;

    public static string EcosystemName => "Pub";

    /// <summary>The parsed components.</summary>
    public SemanticVersion Semantic { get; }

    public static PubVersion Parse(string text) =>
        TryParse(text, out var version, out var failure) ? version : throw VersionFormatException.For(EcosystemName, text, failure);

    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out PubVersion? version,
        [NotNullWhen(false)] out string? failure)
    {
        version = null;
        if (!SemanticVersion.TryParse(text, allowLeadingZeros: true, out var semantic, out failure))
        {
            return false;
        }

        version = new PubVersion(semantic);
        return true;
    }

    public int CompareTo(PubVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var result = Semantic.CompareTo(other.Semantic);
        if (result != 0)
        {
            return result;
        }

        var build = Semantic.Build;
        var otherBuild = other.Semantic.Build;
        if (build.IsEmpty != otherBuild.IsEmpty)
        {
            return build.IsEmpty ? -1 : 1;
        }

        return SemanticVersion.CompareIdentifiers(build, otherBuild);
    }

    public override string ToString() => Semantic.ToString();
}
