using Bulwark.Vulnerabilities.Advisories;

namespace Bulwark.Vulnerabilities.Matching;

/// <summary>The upgrade that removes a finding, in the words of the package's own tool.</summary>
public static class Remediation
{
    public const string NoFix = "no fix available";

    /// <param name="fixedVersion">The version to upgrade to (the lowest that fixes every merged advisory), or null.</param>
    public static string For(PackageQuery package, FixStatus status, string? fixedVersion)
    {
        ArgumentNullException.ThrowIfNull(package);
        if (fixedVersion is null)
        {
            return status switch
            {
                FixStatus.WillNotFix => NoFix + " (the distribution will not fix it in this release)",
                FixStatus.FixDeferred => NoFix + " (the distribution postponed the fix)",
                FixStatus.UnderInvestigation => NoFix + " (the distribution is still investigating)",
                _ => NoFix,
            };
        }

        var ecosystem = EcosystemName.Parse(package.Ecosystem);
        var name = package.Name;
        var command = ecosystem.Name switch
        {
            "Debian" or "Ubuntu" => $"apt-get install --only-upgrade {name}",
            "Alpine" or "Wolfi" or "Chainguard" => $"apk upgrade {name}",
            "Red Hat" or "Rocky Linux" or "AlmaLinux" or "openEuler" or "Mageia" => $"dnf upgrade {name}",
            "SUSE" or "openSUSE" => $"zypper update {name}",
            "PyPI" => $"pip install '{name}>={fixedVersion}'",
            "npm" => $"npm install {name}@{fixedVersion}",
            "Go" when name is "stdlib" or "toolchain" => $"rebuild with Go {fixedVersion} or later",
            "Go" => $"go get {name}@v{fixedVersion}",
            "crates.io" => $"cargo update -p {name} --precise {fixedVersion}",
            "NuGet" => $"dotnet add package {name} --version {fixedVersion}",
            "Maven" => $"set {name} to version {fixedVersion} in pom.xml or build.gradle",
            "RubyGems" => $"bundle update {name} (gem '{name}', '>= {fixedVersion}')",
            "Packagist" => $"composer require '{name}:^{fixedVersion}'",
            "Hex" => $"mix deps.update {name} (~> {fixedVersion})",
            "Pub" => $"dart pub upgrade {name} (^{fixedVersion})",
            _ => null,
        };
        var target = ecosystem.IsDistribution && package.SourceName is { } source && source != name
            ? $"upgrade to {fixedVersion} (source package {source})"
            : $"upgrade to {fixedVersion}";
        return command is null ? target : $"{target}: {command}";
    }
}
