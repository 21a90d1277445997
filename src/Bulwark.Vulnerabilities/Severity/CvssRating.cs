namespace Bulwark.Vulnerabilities.Severity;

/// <summary>The CVSS qualitative severity rating scale (CVSS v3.1 specification §5, the same in v4.0).</summary>
public static class CvssRating
{
    public static SeverityRating FromScore(double score) => score switch
    {
        < 0 or > 10 => SeverityRating.Unknown,
        0 => SeverityRating.None,
        < 4.0 => SeverityRating.Low,
        < 7.0 => SeverityRating.Medium,
        < 9.0 => SeverityRating.High,
        _ => SeverityRating.Critical,
    };

    /// <summary>Scores a CVSS v3.x or v4.0 vector; null when it is not a valid vector of either.</summary>
    public static double? Score(string vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        if (vector.StartsWith("CVSS:3.", StringComparison.Ordinal))
        {
            return CvssV3.TryScore(vector, out var score) ? score : null;
        }

        if (vector.StartsWith("CVSS:4.0/", StringComparison.Ordinal))
        {
            return CvssV4.TryScore(vector, out var score) ? score : null;
        }

        return null;
    }
}
