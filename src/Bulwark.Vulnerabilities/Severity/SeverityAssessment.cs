namespace Bulwark.Vulnerabilities.Severity;

/// <summary>A finding's severity, where it came from, and the highest CVSS base score and vector seen (whatever the source).</summary>
public sealed record SeverityAssessment(SeverityRating Rating, SeveritySource Source, double? CvssScore, string? CvssVector)
{
    public static SeverityAssessment Unrated { get; } = new(SeverityRating.Unknown, SeveritySource.None, null, null);
}
