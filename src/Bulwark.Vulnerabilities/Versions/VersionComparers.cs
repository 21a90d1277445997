using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>
/// The version comparer of each ecosystem, keyed by OSV ecosystem name (ossf.github.io/osv-schema, "Affected
/// package"). A release suffix such as <c>Debian:12</c> or <c>Alpine:v3.19</c> is ignored.
/// </summary>
public static class VersionComparers
{
    /// <summary>SemVer 2.0.0 precedence, for OSV ranges of type <c>SEMVER</c> whatever their ecosystem.</summary>
    public static IVersionComparer SemVer { get; } = new VersionComparer<SemanticVersion>("SemVer");

    private static readonly FrozenDictionary<string, IVersionComparer> ByEcosystem = Build();

    /// <summary>The OSV ecosystem names that have a comparer.</summary>
    public static IEnumerable<string> Ecosystems => ByEcosystem.Keys;

    /// <summary>The comparer for an OSV ecosystem.</summary>
    /// <exception cref="ArgumentException">The ecosystem has no comparer.</exception>
    public static IVersionComparer For(string ecosystem) =>
        TryFor(ecosystem, out var comparer)
            ? comparer
            : throw new ArgumentException($"no version comparer for ecosystem '{ecosystem}'", nameof(ecosystem));

    public static bool TryFor(string? ecosystem, [NotNullWhen(true)] out IVersionComparer? comparer)
    {
        comparer = null;
        if (string.IsNullOrEmpty(ecosystem))
        {
            return false;
        }

        var colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? ecosystem : ecosystem[..colon];
        return ByEcosystem.TryGetValue(name, out comparer);
    }

    private static FrozenDictionary<string, IVersionComparer> Build()
    {
        var map = new Dictionary<string, IVersionComparer>(StringComparer.Ordinal);

        void Add<TVersion>(params string[] ecosystems)
            where TVersion : class, IParsableVersion<TVersion>
        {
            foreach (var ecosystem in ecosystems)
            {
                map.Add(ecosystem, new VersionComparer<TVersion>(ecosystem));
            }
        }

        Add<DpkgVersion>("Debian", "Ubuntu");
        Add<ApkVersion>("Alpine", "Alpaquita", "BellSoft Hardened Containers", "Chainguard", "MinimOS", "Wolfi");
        Add<RpmVersion>("Red Hat", "Rocky Linux", "AlmaLinux", "openSUSE", "SUSE", "Mageia", "openEuler");
        Add<SemanticVersion>("npm", "Go", "crates.io", "Hex");
        Add<Pep440Version>("PyPI");
        Add<NuGetVersion>("NuGet");
        Add<MavenVersion>("Maven");
        Add<GemVersion>("RubyGems");
        Add<ComposerVersion>("Packagist");
        Add<CranVersion>("CRAN");
        Add<PubVersion>("Pub");
        Add<HackageVersion>("Hackage");
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
