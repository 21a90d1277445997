using System.Diagnostics.CodeAnalysis;
using Bulwark.Analysis.Inventory;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Matching;

namespace Bulwark.Vulnerabilities.Scanning;

/// <summary>
/// Maps inventory packages to the OSV ecosystems their advisories are published in: OS packages by distribution and
/// release (<c>Debian:12</c>, <c>Ubuntu:22.04</c>, <c>Alpine:v3.19</c>, <c>Rocky Linux:9</c>…), language packages by
/// purl type (<c>pypi</c> → <c>PyPI</c>, <c>cargo</c> → <c>crates.io</c>…). What cannot be mapped is said, with the
/// reason, so that a scan never passes unsupported packages off as clean.
/// </summary>
public static class PackageEcosystems
{
    /// <summary>The OSV ecosystem of each language package type.</summary>
    public static IReadOnlyDictionary<string, string> LanguageEcosystems { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [PackageTypes.Npm] = "npm",
        [PackageTypes.PyPI] = "PyPI",
        [PackageTypes.NuGet] = "NuGet",
        [PackageTypes.Golang] = "Go",
        [PackageTypes.Maven] = "Maven",
        [PackageTypes.Gem] = "RubyGems",
        [PackageTypes.Cargo] = "crates.io",
        [PackageTypes.Composer] = "Packagist",
    };

    /// <summary>Whether a package type is an OS package database's (matched through the distribution's feed).</summary>
    public static bool IsOperatingSystemType(string type) => type is PackageTypes.Deb or PackageTypes.Apk or PackageTypes.Rpm;

    /// <summary>
    /// The OSV ecosystem (with release) of the OS packages of type <paramref name="packageType"/> on <paramref name="os"/>,
    /// or false with the reason when that distribution or release has no feed Bulwark matches.
    /// </summary>
    public static bool TryGetOperatingSystemEcosystem(OperatingSystemInfo? os, string packageType,
        [NotNullWhen(true)] out string? ecosystem, [NotNullWhen(false)] out string? reason)
    {
        ecosystem = null;
        if (os is null)
        {
            reason = "the image's distribution could not be detected (no os-release or release file)";
            return false;
        }

        var id = os.Id.ToLowerInvariant();
        var version = os.VersionId;
        var major = version is null ? null : version.Split('.')[0];
        var expectedType = id switch
        {
            "debian" or "ubuntu" => PackageTypes.Deb,
            "alpine" or "wolfi" or "chainguard" => PackageTypes.Apk,
            _ => PackageTypes.Rpm,
        };
        var name = $"{os.Id} {version ?? os.Codename ?? "(no version)"}";
        if (packageType != expectedType)
        {
            reason = $"{packageType} packages on {name} are not matched: no advisory feed covers that combination";
            return false;
        }

        ecosystem = id switch
        {
            "debian" when major is not null => "Debian:" + major,
            "debian" when os.Codename is { } codename && EcosystemName.DebianRelease(codename) is { } number => "Debian:" + number,
            "ubuntu" when version is not null => "Ubuntu:" + version,
            "alpine" when version is not null => EcosystemName.Parse("Alpine:" + version).ToString(),
            "wolfi" => "Wolfi",
            "chainguard" => "Chainguard",
            "rocky" when major is not null => "Rocky Linux:" + major,
            "almalinux" when major is not null => "AlmaLinux:" + major,
            "mageia" when major is not null => "Mageia:" + major,
            "opensuse-leap" when version is not null => "openSUSE:Leap " + version,
            "opensuse-tumbleweed" => "openSUSE:Tumbleweed",
            _ => null,
        };
        if (ecosystem is not null)
        {
            reason = null;
            return true;
        }

        reason = id switch
        {
            "debian" => $"{name} is a Debian release without a release number (sid/unstable has no security feed)",
            "rhel" or "centos" => $"{name}: Red Hat's OSV records are per CPE repository (Red Hat:enterprise_linux:9::baseos…), which the image does not record; RHEL, UBI and CentOS images are not matched yet",
            _ => $"{name} is not a supported distribution (supported: Debian, Ubuntu, Alpine, Wolfi, Chainguard, Rocky Linux, AlmaLinux, Mageia, openSUSE Leap/Tumbleweed)",
        };
        return false;
    }

    /// <summary>The query to match <paramref name="package"/> with, or false with the reason it cannot be matched.</summary>
    public static bool TryCreateQuery(Package package, OperatingSystemInfo? os,
        [NotNullWhen(true)] out PackageQuery? query, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(package);
        query = null;
        if (IsOperatingSystemType(package.Type))
        {
            if (!TryGetOperatingSystemEcosystem(os, package.Type, out var ecosystem, out reason))
            {
                return false;
            }

            query = new PackageQuery(ecosystem, package.Name, package.Version)
            {
                SourceName = package.SourceName,
                SourceVersion = package.SourceVersion,
                Purl = package.Purl,
            };
            return true;
        }

        if (!LanguageEcosystems.TryGetValue(package.Type, out var language))
        {
            reason = $"package type '{package.Type}' has no advisory ecosystem";
            return false;
        }

        query = new PackageQuery(language, QualifiedName(package), package.Version) { Purl = package.Purl };
        reason = null;
        return true;
    }

    // OSV names Maven packages group:artifact, Composer vendor/name, npm @scope/name and Go packages by module path;
    // an analyzer that kept the namespace only in the purl still meets the advisories' spelling.
    private static string QualifiedName(Package package)
    {
        var separator = package.Type == PackageTypes.Maven ? ':' : '/';
        if (package.Type is not (PackageTypes.Maven or PackageTypes.Composer or PackageTypes.Npm or PackageTypes.Golang)
            || package.Name.Contains(separator, StringComparison.Ordinal)
            || package.Name == "stdlib"
            || PurlNamespace(package.Purl) is not { Length: > 0 } ns)
        {
            return package.Name;
        }

        return ns + separator + package.Name;
    }

    private static string? PurlNamespace(string purl)
    {
        // pkg:type/namespace/name@version?qualifiers#subpath
        if (!purl.StartsWith("pkg:", StringComparison.Ordinal))
        {
            return null;
        }

        var path = purl[4..];
        var end = path.IndexOfAny(['@', '?', '#']);
        if (end >= 0)
        {
            path = path[..end];
        }

        var first = path.IndexOf('/', StringComparison.Ordinal);
        var last = path.LastIndexOf('/');
        return first < 0 || last <= first ? null : Uri.UnescapeDataString(path[(first + 1)..last]);
    }
}
