using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Scanning;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Vulnerabilities.Reports;

/// <summary>A <see cref="ScanResult"/> with the user's filters applied: what remains, what was ignored and why, and which ignore entries expired.</summary>
public sealed record ScanReport
{
    public required ScanResult Result { get; init; }

    public required ScanReportFilter Filter { get; init; }

    /// <summary>The findings left after every filter: what the exit code and the report are about.</summary>
    public required IReadOnlyList<ScanFinding> Findings { get; init; }

    /// <summary>Findings removed by an ignore entry (with the entry), reported so that an ignore is never invisible.</summary>
    public required IReadOnlyList<(ScanFinding Finding, IgnoreRule Rule)> Ignored { get; init; }

    /// <summary>Ignore entries past their expiry date: they no longer apply.</summary>
    public required IReadOnlyList<IgnoreRule> ExpiredIgnores { get; init; }

    /// <summary>Secrets left after the severity filter (redacted matches); they count for the exit code as findings do.</summary>
    public IReadOnlyList<Bulwark.Analysis.Secrets.SecretFinding> Secrets { get; init; } = [];

    /// <summary>The version of the tool that wrote the report.</summary>
    public string ToolVersion { get; init; } = "0.0.0";

    /// <summary>Remaining findings per severity, every rating present (zeros included).</summary>
    public IReadOnlyDictionary<SeverityRating, int> CountsBySeverity =>
        Enum.GetValues<SeverityRating>().ToDictionary(r => r, r => Findings.Count(f => f.Finding.Severity.Rating == r));

    public static ScanReport Create(ScanResult result, ScanReportFilter filter, DateOnly today, string toolVersion = "0.0.0")
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(filter);
        var active = filter.Ignores.Where(r => !r.IsExpired(today)).ToList();
        var findings = new List<ScanFinding>();
        var ignored = new List<(ScanFinding, IgnoreRule)>();
        foreach (var finding in result.Findings)
        {
            if (filter.Severities is { } severities && !severities.Contains(finding.Finding.Severity.Rating))
            {
                continue;
            }

            if (filter.IgnoreUnfixed && finding.Finding.Status != FixStatus.Fixed)
            {
                continue;
            }

            if (active.FirstOrDefault(r => r.Matches(finding)) is { } rule)
            {
                ignored.Add((finding, rule));
                continue;
            }

            findings.Add(finding);
        }

        return new ScanReport
        {
            Result = result,
            Filter = filter,
            Findings = findings,
            Ignored = ignored,
            ExpiredIgnores = [.. filter.Ignores.Where(r => r.IsExpired(today))],
            ToolVersion = toolVersion,
            Secrets = [.. result.Secrets.Where(s => filter.Severities is not { } severities || severities.Contains(RatingOf(s.Severity)))],
        };
    }

    /// <summary>The rating of an analysis finding's severity.</summary>
    public static SeverityRating RatingOf(Bulwark.Analysis.Inventory.FindingSeverity severity) => severity switch
    {
        Bulwark.Analysis.Inventory.FindingSeverity.Low => SeverityRating.Low,
        Bulwark.Analysis.Inventory.FindingSeverity.Medium => SeverityRating.Medium,
        Bulwark.Analysis.Inventory.FindingSeverity.High => SeverityRating.High,
        Bulwark.Analysis.Inventory.FindingSeverity.Critical => SeverityRating.Critical,
        _ => SeverityRating.Unknown,
    };
}
