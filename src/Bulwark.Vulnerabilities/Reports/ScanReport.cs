using Bulwark.Analysis.Configuration;
using Bulwark.Analysis.Secrets;
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

    /// <summary>Secrets left after the severity filter and the ignore file (redacted matches); they count for the exit code as findings do.</summary>
    public IReadOnlyList<SecretFinding> Secrets { get; init; } = [];

    /// <summary>Configuration findings left after the severity filter and the ignore file; they count for the exit code as findings do.</summary>
    public IReadOnlyList<ConfigFinding> Configuration { get; init; } = [];

    /// <summary>Configuration findings removed by an ignore entry (by check id), with the entry.</summary>
    public IReadOnlyList<(ConfigFinding Finding, IgnoreRule Rule)> IgnoredConfiguration { get; init; } = [];

    /// <summary>Secrets removed by an ignore entry (by rule id), with the entry.</summary>
    public IReadOnlyList<(SecretFinding Secret, IgnoreRule Rule)> IgnoredSecrets { get; init; } = [];

    /// <summary>
    /// Whether <c>--exit-code</c> applies: any vulnerability, secret or configuration finding left after the filters
    /// (Trivy gates on every finding kind it reports), or an empty advisory database (a gate must not pass on no data).
    /// </summary>
    public bool TripsGate => Findings.Count > 0 || Secrets.Count > 0 || Configuration.Count > 0 || Result.Database.IsEmpty;

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

        bool Shown(Analysis.Inventory.FindingSeverity severity) => filter.Severities is not { } severities || severities.Contains(RatingOf(severity));
        var configuration = new List<ConfigFinding>();
        var ignoredConfiguration = new List<(ConfigFinding, IgnoreRule)>();
        foreach (var finding in result.ConfigFindings.Where(f => Shown(f.Severity)))
        {
            if (active.FirstOrDefault(r => r.Matches(finding)) is { } rule)
            {
                ignoredConfiguration.Add((finding, rule));
            }
            else
            {
                configuration.Add(finding);
            }
        }

        var secrets = new List<SecretFinding>();
        var ignoredSecrets = new List<(SecretFinding, IgnoreRule)>();
        foreach (var secret in result.Secrets.Where(s => Shown(s.Severity)))
        {
            if (active.FirstOrDefault(r => r.Matches(secret)) is { } rule)
            {
                ignoredSecrets.Add((secret, rule));
            }
            else
            {
                secrets.Add(secret);
            }
        }

        return new ScanReport
        {
            Result = result,
            Filter = filter,
            Findings = findings,
            Ignored = ignored,
            ExpiredIgnores = [.. filter.Ignores.Where(r => r.IsExpired(today))],
            ToolVersion = toolVersion,
            Secrets = secrets,
            IgnoredSecrets = ignoredSecrets,
            Configuration = configuration,
            IgnoredConfiguration = ignoredConfiguration,
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
