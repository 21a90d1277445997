using System.Collections.Frozen;
using System.Globalization;

namespace Bulwark.Vulnerabilities.Advisories;

/// <summary>
/// An OSV ecosystem split into its name and release suffix (<c>Debian:12</c> → <c>Debian</c>, <c>12</c>), with the
/// release written the way the feeds write it, so that an image's <c>Debian 12.5</c> or <c>bookworm</c> and a feed's
/// <c>Debian:12</c> meet on the same index key.
/// </summary>
public readonly record struct EcosystemName(string Name, string Release)
{
    private static readonly FrozenDictionary<string, string> DebianCodenames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["squeeze"] = "6",
        ["wheezy"] = "7",
        ["jessie"] = "8",
        ["stretch"] = "9",
        ["buster"] = "10",
        ["bullseye"] = "11",
        ["bookworm"] = "12",
        ["trixie"] = "13",
        ["forky"] = "14",
        ["duke"] = "15",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the ecosystem is an operating system distribution (matched by source package and release).</summary>
    public bool IsDistribution => Name is "Debian" or "Ubuntu" or "Alpine" or "Red Hat" or "Rocky Linux" or "AlmaLinux"
        or "SUSE" or "openSUSE" or "Wolfi" or "Chainguard" or "Mageia" or "openEuler" or "Alpaquita" or "MinimOS"
        or "BellSoft Hardened Containers";

    public override string ToString() => Release.Length == 0 ? Name : Name + ":" + Release;

    public static EcosystemName Parse(string ecosystem)
    {
        ArgumentException.ThrowIfNullOrEmpty(ecosystem);
        var colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return new EcosystemName(ecosystem, string.Empty);
        }

        var name = ecosystem[..colon];
        var release = ecosystem[(colon + 1)..];
        return new EcosystemName(name, NormalizeRelease(name, release));
    }

    /// <summary>The Debian release number for a codename (<c>bookworm</c> → <c>12</c>), or null when unknown (e.g. <c>sid</c>).</summary>
    public static string? DebianRelease(string codename) => DebianCodenames.GetValueOrDefault(codename);

    private static string NormalizeRelease(string name, string release)
    {
        switch (name)
        {
            case "Debian":
                if (DebianCodenames.TryGetValue(release, out var number))
                {
                    return number;
                }

                // Point releases share the release's feed: 12.5 → 12.
                var dot = release.IndexOf('.', StringComparison.Ordinal);
                return dot > 0 && int.TryParse(release.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var major) && major >= 7
                    ? release[..dot]
                    : release;
            case "Alpine":
                // secdb and OSV write "v3.19"; /etc/alpine-release says "3.19.1".
                var trimmed = release.TrimStart('v');
                var parts = trimmed.Split('.');
                return parts.Length >= 2 ? "v" + parts[0] + "." + parts[1] : "v" + trimmed;
            case "Ubuntu":
                // OSV writes "Ubuntu:22.04:LTS"; the LTS marker does not select a different feed.
                return release.EndsWith(":LTS", StringComparison.Ordinal) ? release[..^4] : release;
            default:
                return release;
        }
    }
}
