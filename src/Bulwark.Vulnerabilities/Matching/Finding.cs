using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Vulnerabilities.Matching;

/// <summary>
/// One vulnerability of one package: every id under which the feeds know it (aliases merged), the installed and
/// fixed versions, the fix status, the rating by precedence, and the upgrade to make.
/// </summary>
public sealed record Finding
{
    public required PackageQuery Package { get; init; }

    /// <summary>The id reports lead with: the CVE when there is one, else a GHSA id, else the first id.</summary>
    public required string Id { get; init; }

    /// <summary>Every id and alias of the merged advisories, sorted.</summary>
    public required IReadOnlyList<string> Ids { get; init; }

    /// <summary>The advisories that matched, as "source/id".</summary>
    public required IReadOnlyList<string> Advisories { get; init; }

    public string? Summary { get; init; }

    /// <summary>The version the advisories were evaluated against (the source version for distribution packages).</summary>
    public required string InstalledVersion { get; init; }

    /// <summary>The fixed versions above the installed one, lowest first; empty when there is no fix.</summary>
    public required IReadOnlyList<string> FixedVersions { get; init; }

    public required FixStatus Status { get; init; }

    public required SeverityAssessment Severity { get; init; }

    /// <summary>The upgrade to make in the package manager's words, or "no fix available".</summary>
    public required string Remediation { get; init; }

    /// <summary>The earliest publication date of the merged advisories, when a feed gives one.</summary>
    public DateTimeOffset? Published { get; init; }

    /// <summary>The latest modification date of the merged advisories, when a feed gives one.</summary>
    public DateTimeOffset? Modified { get; init; }

    /// <summary>CWE numbers the merged advisories name (GitHub advisories do), sorted.</summary>
    public IReadOnlyList<int> Cwes { get; init; } = [];

    /// <summary>The merged advisories' reference pages, duplicates removed.</summary>
    public IReadOnlyList<Osv.OsvReference> References { get; init; } = [];
}
