using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Vulnerabilities.Reports;

/// <summary>What the user asked to leave out of a report: severities, findings without a fix, ignore-file entries.</summary>
public sealed record ScanReportFilter
{
    /// <summary>The severities to report; null for all.</summary>
    public IReadOnlySet<SeverityRating>? Severities { get; init; }

    public bool IgnoreUnfixed { get; init; }

    public IReadOnlyList<IgnoreRule> Ignores { get; init; } = [];

    /// <summary>The ignore file the rules came from, for the report.</summary>
    public string? IgnoreFile { get; init; }

    public static ScanReportFilter None { get; } = new();

    /// <summary>Parses <c>CRITICAL,HIGH</c> (case-insensitive; <c>MODERATE</c> is Medium, as GitHub says).</summary>
    /// <exception cref="FormatException">An unknown severity name.</exception>
    public static IReadOnlySet<SeverityRating> ParseSeverities(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var set = new HashSet<SeverityRating>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            set.Add(part.ToUpperInvariant() switch
            {
                "UNKNOWN" => SeverityRating.Unknown,
                "NONE" => SeverityRating.None,
                "LOW" => SeverityRating.Low,
                "MEDIUM" or "MODERATE" => SeverityRating.Medium,
                "HIGH" => SeverityRating.High,
                "CRITICAL" => SeverityRating.Critical,
                _ => throw new FormatException($"unknown severity '{part}' (use UNKNOWN, NONE, LOW, MEDIUM, HIGH, CRITICAL)"),
            });
        }

        return set.Count == 0 ? throw new FormatException("no severity given") : set;
    }
}
