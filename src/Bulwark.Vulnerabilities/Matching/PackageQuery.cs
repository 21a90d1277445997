namespace Bulwark.Vulnerabilities.Matching;

/// <summary>
/// An installed package to match. <see cref="Ecosystem"/> is an OSV ecosystem, with the release for distribution
/// packages (<c>Debian:12</c>, <c>Alpine:v3.19</c>, <c>Ubuntu:22.04</c>). Distribution packages also carry their
/// source package: Debian, Ubuntu and Alpine publish advisories by source package and source version.
/// </summary>
public sealed record PackageQuery(string Ecosystem, string Name, string Version)
{
    /// <summary>The source package (dpkg <c>Source:</c>, apk origin, rpm source name), when it differs or is known.</summary>
    public string? SourceName { get; init; }

    /// <summary>The source package's version, when it differs from <see cref="Version"/> (e.g. a binNMU).</summary>
    public string? SourceVersion { get; init; }

    public string? Purl { get; init; }
}
