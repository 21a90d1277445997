using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Severity;

/// <summary>
/// Chooses a finding's severity the way Trivy does: the distribution's own rating for distribution packages,
/// else the GitHub advisory database's rating, else the highest CVSS base score (v3.x preferred over v4.0, as NVD
/// still rates in v3.1).
/// </summary>
public static class SeverityPrecedence
{
    /// <param name="matched">The advisories merged into the finding, each with the affected entry that matched.</param>
    public static SeverityAssessment Assess(IEnumerable<(OsvVulnerability Advisory, OsvAffected Affected)> matched)
    {
        ArgumentNullException.ThrowIfNull(matched);
        var list = matched.ToList();

        var vendor = list
            .Where(m => EcosystemName.Parse(m.Affected.Package.Ecosystem).IsDistribution)
            .Select(m => m.Affected.VendorSeverity ?? m.Affected.Severity.FirstOrDefault(s => !s.Type.StartsWith("CVSS", StringComparison.Ordinal))?.Score)
            .Select(FromVendorLabel)
            .Where(r => r != SeverityRating.Unknown)
            .DefaultIfEmpty(SeverityRating.Unknown)
            .Max();
        var github = list
            .Select(m => FromGitHubLabel(m.Advisory.DatabaseSeverity))
            .Where(r => r != SeverityRating.Unknown)
            .DefaultIfEmpty(SeverityRating.Unknown)
            .Max();

        var vectors = list
            .SelectMany(m => m.Advisory.Severity.Concat(m.Affected.Severity))
            .Where(s => s.Type is "CVSS_V3" or "CVSS_V4")
            .Select(s => (s.Type, s.Score, Value: CvssRating.Score(s.Score)))
            .Where(s => s.Value is not null)
            .OrderBy(s => s.Type == "CVSS_V3" ? 0 : 1)
            .ThenByDescending(s => s.Value)
            .ToList();
        double? cvssScore = vectors.Count > 0 ? vectors[0].Value : null;
        var cvssVector = vectors.Count > 0 ? vectors[0].Score : null;

        if (vendor != SeverityRating.Unknown)
        {
            return new SeverityAssessment(vendor, SeveritySource.Vendor, cvssScore, cvssVector);
        }

        if (github != SeverityRating.Unknown)
        {
            return new SeverityAssessment(github, SeveritySource.GitHubAdvisory, cvssScore, cvssVector);
        }

        return cvssScore is { } score
            ? new SeverityAssessment(CvssRating.FromScore(score), SeveritySource.Cvss, cvssScore, cvssVector)
            : SeverityAssessment.Unrated;
    }

    /// <summary>Debian urgency (with its "*" uncertainty marks), Ubuntu priority, Red Hat impact.</summary>
    public static SeverityRating FromVendorLabel(string? label) => label?.TrimEnd('*').Trim().ToLowerInvariant() switch
    {
        "unimportant" or "negligible" or "low" => SeverityRating.Low,
        "medium" or "moderate" => SeverityRating.Medium,
        "high" or "important" => SeverityRating.High,
        "critical" => SeverityRating.Critical,
        _ => SeverityRating.Unknown,
    };

    /// <summary>GitHub advisory ratings: LOW, MODERATE, HIGH, CRITICAL.</summary>
    public static SeverityRating FromGitHubLabel(string? label) => label?.ToUpperInvariant() switch
    {
        "LOW" => SeverityRating.Low,
        "MODERATE" or "MEDIUM" => SeverityRating.Medium,
        "HIGH" => SeverityRating.High,
        "CRITICAL" => SeverityRating.Critical,
        _ => SeverityRating.Unknown,
    };
}
