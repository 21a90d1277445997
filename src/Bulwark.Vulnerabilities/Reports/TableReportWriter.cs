using System.Globalization;
using Bulwark.Vulnerabilities.Scanning;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Vulnerabilities.Reports;

/// <summary>
/// The human report: a banner for an empty or stale database, then one table per target (the OS package database,
/// each manifest or lock file) with package, id, severity, installed and fixed versions, status and layer, the
/// remediation per package, and counts per severity. ANSI colour only when the caller says so (a terminal, no NO_COLOR).
/// </summary>
public static class TableReportWriter
{
    private const string Reset = "\u001b[0m";

    public static async Task WriteAsync(ScanReport report, TextWriter output, bool color, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var text = new StringWriter(CultureInfo.InvariantCulture);
        Write(report, text, color);
        await output.WriteAsync(text.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Write(ScanReport report, StringWriter w, bool color)
    {
        var result = report.Result;
        string Paint(string s, string code) => color ? $"\u001b[{code}m{s}{Reset}" : s;

        // The database's state comes first and cannot be missed.
        foreach (var warning in result.Warnings.Where(x => x.Kind is ScanWarningKind.DatabaseEmpty or ScanWarningKind.DatabaseStale))
        {
            var bar = new string('!', 78);
            var code = warning.Kind == ScanWarningKind.DatabaseEmpty ? "1;31" : "1;33";
            w.WriteLine(Paint(bar, code));
            w.WriteLine(Paint("!! " + warning.Message, code));
            w.WriteLine(Paint(bar, code));
            w.WriteLine();
        }

        var target = result.Target;
        w.WriteLine($"{target.Source}{(target.ManifestDigest is { } d ? " (" + d + ")" : "")}");
        var os = target.OperatingSystem;
        w.WriteLine($"  os: {(os is null ? "not detected" : $"{os.Name ?? os.Id + " " + os.Version} [{os.Ecosystem ?? "unsupported"}]")}"
            + $"{(target.Platform is { } p ? ", platform: " + p : "")}, packages: {result.PackageCount} ({result.CheckedPackageCount} checked)");
        w.WriteLine($"  advisory database: {result.Database.AdvisoryCount} advisories"
            + (result.Database.UpdatedAt is { } updated ? $", updated {updated.ToUniversalTime():yyyy-MM-dd HH:mm}Z" : ", never updated"));
        w.WriteLine();

        var groups = ReportTarget.Group(report.Findings);
        foreach (var group in groups)
        {
            var title = group.Class == "os-packages"
                ? $"{group.Name} (OS packages, {os?.Ecosystem ?? group.Type})"
                : $"{group.Name} ({group.Type})";
            w.WriteLine(Paint(title, "1"));
            w.WriteLine(Counts(group.Findings));
            var rows = group.Findings.Select(f => new[]
            {
                f.Package.Name,
                f.Finding.Id,
                ReportTarget.SeverityName(f.Finding.Severity.Rating),
                f.Package.Version,
                f.Finding.FixedVersions.Count == 0 ? "" : string.Join(", ", f.Finding.FixedVersions),
                ReportTarget.StatusName(f.Finding.Status),
                Layer(f.Package),
            }).ToList();
            WriteTable(w, ["PACKAGE", "ID", "SEVERITY", "INSTALLED", "FIXED", "STATUS", "LAYER"], rows,
                (column, value) => column == 2 ? Paint(value, SeverityColor(value)) : value);
            w.WriteLine("  remediation:");
            foreach (var line in group.Findings.GroupBy(f => (f.Package.Name, f.Package.Version, f.Remediation)).Select(g => g.Key).Distinct())
            {
                w.WriteLine($"    {line.Name} {line.Version}: {line.Remediation}");
            }

            w.WriteLine();
        }

        if (groups.Count == 0)
        {
            w.WriteLine(result.Database.IsEmpty
                ? Paint("No findings — because the advisory database is EMPTY, not because the image is clean.", "1;31")
                : result.Database.MissingEcosystems.Count > 0
                    ? Paint($"No vulnerabilities found, but {string.Join(", ", result.Database.MissingEcosystems)} had NO advisories to check against.", "1;33")
                    : "No vulnerabilities found" + (report.Ignored.Count > 0 ? $" ({report.Ignored.Count} ignored)" : "") + ".");
            w.WriteLine();
        }

        if (report.Configuration.Count > 0)
        {
            WriteConfiguration(report, w, Paint);
        }

        var ignoredCount = report.Ignored.Count + report.IgnoredConfiguration.Count + report.IgnoredSecrets.Count;
        if (ignoredCount > 0)
        {
            static string Until(IgnoreRule rule) => rule.Expires is { } e ? $" (until {e:yyyy-MM-dd})" : "";
            w.WriteLine($"Ignored ({ignoredCount}):");
            foreach (var (finding, rule) in report.Ignored)
            {
                w.WriteLine($"  {finding.Finding.Id} in {finding.Package.Name} {finding.Package.Version}: {rule.Reason}{Until(rule)}");
            }

            foreach (var (finding, rule) in report.IgnoredConfiguration)
            {
                w.WriteLine($"  {finding.Id} at {ImageFindingGuidance.Where(finding)}: {rule.Reason}{Until(rule)}");
            }

            foreach (var (secret, rule) in report.IgnoredSecrets)
            {
                w.WriteLine($"  {secret.RuleId} at {SecretWhere(secret)}: {rule.Reason}{Until(rule)}");
            }

            w.WriteLine();
        }

        foreach (var rule in report.ExpiredIgnores)
        {
            w.WriteLine(Paint($"EXPIRED ignore entry (line {rule.Line}): {rule.Id} expired on {rule.Expires:yyyy-MM-dd} and no longer applies ({rule.Reason})", "33"));
        }

        if (report.Secrets.Count > 0)
        {
            w.WriteLine($"Secrets ({report.Secrets.Count}):");
            foreach (var secret in report.Secrets)
            {
                w.WriteLine($"  {ScanReport.RatingOf(secret.Severity).ToString().ToUpperInvariant(),-8} {secret.RuleId,-24} {SecretWhere(secret)}  {secret.Title}: {secret.Match}");
            }

            w.WriteLine();
        }

        var other = result.Warnings.Where(x => x.Kind is not (ScanWarningKind.DatabaseEmpty or ScanWarningKind.DatabaseStale)).ToList();
        if (other.Count > 0)
        {
            w.WriteLine("Warnings:");
            foreach (var warning in other)
            {
                w.WriteLine(Paint("  " + warning.Message, "33"));
            }

            w.WriteLine();
        }

        w.WriteLine(Counts(report.Findings) + (report.Ignored.Count > 0 ? $", {report.Ignored.Count} ignored" : "")
            + $"; secrets: {report.Secrets.Count}; configuration: {report.Configuration.Count}");
    }

    private static string SecretWhere(Bulwark.Analysis.Secrets.SecretFinding secret) =>
        secret.Path is { } path ? $"/{path}:{secret.Line}" : $"{secret.ConfigLocation}:{secret.Line}";

    /// <summary>
    /// The image's configuration findings: a table of check, severity, title, place and layer, then what each one is
    /// and how to fix it (one fix line per check).
    /// </summary>
    private static void WriteConfiguration(ScanReport report, StringWriter w, Func<string, string, string> paint)
    {
        var findings = report.Configuration
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Id, StringComparer.Ordinal)
            .ThenBy(f => ImageFindingGuidance.Where(f), StringComparer.Ordinal)
            .ToList();
        w.WriteLine(paint($"{report.Result.Target.Source} (Configuration)", "1"));
        var ratings = new[] { SeverityRating.Critical, SeverityRating.High, SeverityRating.Medium, SeverityRating.Low };
        w.WriteLine($"Total: {findings.Count} ({string.Join(", ", ratings.Select(r => $"{ReportTarget.SeverityName(r)}: {findings.Count(f => ScanReport.RatingOf(f.Severity) == r)}"))})");
        var rows = findings.Select(f => new[]
        {
            f.Id,
            ReportTarget.SeverityName(ScanReport.RatingOf(f.Severity)),
            f.Title,
            ImageFindingGuidance.Where(f),
            f.LayerIndex is { } layer ? layer.ToString(CultureInfo.InvariantCulture) : "",
        }).ToList();
        WriteTable(w, ["CHECK", "SEVERITY", "TITLE", "WHERE", "LAYER"], rows, (column, value) => column == 1 ? paint(value, SeverityColor(value)) : value);
        w.WriteLine("  details:");
        foreach (var finding in findings)
        {
            w.WriteLine($"    {finding.Id} {ImageFindingGuidance.Where(finding)}: {finding.Description}");
        }

        w.WriteLine("  remediation:");
        foreach (var check in findings.DistinctBy(f => f.Id).OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            w.WriteLine($"    {check.Id}: {check.Remediation}");
        }

        w.WriteLine();
    }

    private static string Counts(IReadOnlyList<ScanFinding> findings)
    {
        var ratings = new[] { SeverityRating.Critical, SeverityRating.High, SeverityRating.Medium, SeverityRating.Low, SeverityRating.Unknown };
        var parts = ratings.Select(r => $"{ReportTarget.SeverityName(r)}: {findings.Count(f => f.Finding.Severity.Rating == r || (r == SeverityRating.Unknown && f.Finding.Severity.Rating == SeverityRating.None))}");
        return $"Total: {findings.Count} ({string.Join(", ", parts)})";
    }

    private static string Layer(ScannedPackage package)
    {
        if (package.LayerIndex is not { } index)
        {
            return "";
        }

        var digest = package.LayerDigest is { } d && d.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
            ? " " + d[(colon + 1)..Math.Min(d.Length, colon + 13)]
            : "";
        return $"{index}{digest}{(package.InBaseImage == true ? " (base)" : "")}";
    }

    private static string SeverityColor(string severity) => severity switch
    {
        "CRITICAL" => "1;31",
        "HIGH" => "31",
        "MEDIUM" => "33",
        "LOW" => "34",
        _ => "37",
    };

    private static void WriteTable(StringWriter w, string[] headers, List<string[]> rows, Func<int, string, string> paint)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        w.WriteLine("  " + string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        w.WriteLine("  " + string.Join("  ", widths.Select(x => new string('-', x))));
        foreach (var row in rows)
        {
            // Pad before painting so escape codes do not count as width.
            w.WriteLine("  " + string.Join("  ", row.Select((v, i) => paint(i, v) + new string(' ', i == row.Length - 1 ? 0 : widths[i] - v.Length))).TrimEnd());
        }
    }
}
