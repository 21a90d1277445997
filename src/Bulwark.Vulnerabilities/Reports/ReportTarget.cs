using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Scanning;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Vulnerabilities.Reports;

/// <summary>
/// A group of findings reports show together: the OS packages of one package database, or the packages of one
/// manifest, lock file or binary (<see cref="ScannedPackage.FoundIn"/>).
/// </summary>
/// <param name="Class"><c>os-packages</c> or <c>language-packages</c>.</param>
public sealed record ReportTarget(string Name, string Class, string Type, IReadOnlyList<ScanFinding> Findings)
{
    public static IReadOnlyList<ReportTarget> Group(IReadOnlyList<ScanFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return [.. findings
            .GroupBy(f => (Os: PackageEcosystems.IsOperatingSystemType(f.Package.Type), f.Package.FoundIn))
            .OrderBy(g => g.Key.Os ? 0 : 1).ThenBy(g => g.Key.FoundIn, StringComparer.Ordinal)
            .Select(g => new ReportTarget(g.Key.FoundIn, g.Key.Os ? "os-packages" : "language-packages", g.First().Package.Type, [.. g]))];
    }

    /// <summary>The severity as reports write it: <c>CRITICAL</c>, <c>HIGH</c>, <c>MEDIUM</c>, <c>LOW</c>, <c>NONE</c>, <c>UNKNOWN</c>.</summary>
    public static string SeverityName(SeverityRating rating) => rating.ToString().ToUpperInvariant();

    /// <summary>The fix status as reports write it: <c>fixed</c>, <c>affected</c>, <c>fix_deferred</c>, <c>will_not_fix</c>, <c>under_investigation</c>.</summary>
    public static string StatusName(FixStatus status) => status switch
    {
        FixStatus.Fixed => "fixed",
        FixStatus.Affected => "affected",
        FixStatus.FixDeferred => "fix_deferred",
        FixStatus.WillNotFix => "will_not_fix",
        _ => "under_investigation",
    };

    public static string WarningKindName(ScanWarningKind kind) => kind switch
    {
        ScanWarningKind.DatabaseEmpty => "database_empty",
        ScanWarningKind.DatabaseStale => "database_stale",
        ScanWarningKind.EcosystemNotCovered => "ecosystem_not_covered",
        ScanWarningKind.UnsupportedOperatingSystem => "unsupported_os",
        ScanWarningKind.UnsupportedPackageType => "unsupported_package_type",
        ScanWarningKind.MatchProblem => "match_problem",
        _ => "analysis",
    };

    /// <summary>A page about the advisory: the Debian tracker for CVEs of Debian packages, else osv.dev.</summary>
    public static Uri AdvisoryUri(ScanFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var id = finding.Finding.Id;
        return finding.Package.Ecosystem.StartsWith("Debian", StringComparison.Ordinal) && id.StartsWith("CVE-", StringComparison.Ordinal)
            ? new Uri("https://security-tracker.debian.org/tracker/" + Uri.EscapeDataString(id))
            : new Uri("https://osv.dev/vulnerability/" + Uri.EscapeDataString(id));
    }
}
