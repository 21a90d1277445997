using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Analysis.Configuration;
using Bulwark.Analysis.Secrets;
using Bulwark.Vulnerabilities.Scanning;
using Bulwark.Vulnerabilities.Severity;

namespace Bulwark.Vulnerabilities.Reports;

/// <summary>
/// SARIF 2.1.0 (OASIS) in the shape GitHub code scanning accepts: one rule per advisory id with help text, a
/// <c>security-severity</c> property and a help URI; one result per vulnerable package with a level from the
/// severity, a location at the package database or manifest, and a stable <c>partialFingerprints</c> entry. The
/// database's state and every scan warning are <c>invocations[0].toolExecutionNotifications</c>.
/// </summary>
public static class SarifReportWriter
{
    public const string FingerprintKey = "bulwarkFinding/v1";

    /// <summary>Where results about the image config (not a file) are placed: the build file that sets it.</summary>
    public const string ConfigArtifactUri = "Dockerfile";

    public static async Task WriteAsync(ScanReport report, Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await using (json.ConfigureAwait(false))
        {
            Write(report, json);
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Write(ScanReport report, Utf8JsonWriter json)
    {
        var rules = report.Findings.GroupBy(f => f.Finding.Id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var checks = report.Configuration.GroupBy(f => f.Id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var secretRules = report.Secrets.GroupBy(s => s.RuleId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var ruleIndex = rules.Select(g => g.Key).Concat(checks.Select(g => g.Key)).Concat(secretRules.Select(g => g.Key))
            .Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);

        SarifLog.Write(json, report.ToolVersion, "https://osv.dev/", rulesArray =>
        {
            foreach (var rule in rules)
            {
                WriteRule(rulesArray, rule.First(), rule.Max(f => f.Finding.Severity.Rating));
            }

            foreach (var check in checks)
            {
                WriteConfigRule(rulesArray, check.First(), ScanReport.RatingOf(check.Max(f => f.Severity)));
            }

            foreach (var secretRule in secretRules)
            {
                WriteSecretRule(rulesArray, secretRule.First(), ScanReport.RatingOf(secretRule.Max(s => s.Severity)));
            }
        }, notifications =>
        {
            foreach (var warning in report.Result.Warnings)
            {
                SarifLog.WriteNotification(notifications, warning.Kind is ScanWarningKind.DatabaseEmpty ? "error"
                    : warning.Kind is ScanWarningKind.Analysis or ScanWarningKind.MatchProblem ? "note" : "warning",
                    warning.Message, ReportTarget.WarningKindName(warning.Kind));
            }

            foreach (var rule in report.ExpiredIgnores)
            {
                SarifLog.WriteNotification(notifications, "warning",
                    $"ignore entry (line {rule.Line}) for {rule.Id} expired on {rule.Expires:yyyy-MM-dd} and no longer applies", "ignore_expired");
            }
        }, results =>
        {
            foreach (var finding in report.Findings)
            {
                WriteResult(results, finding, ruleIndex[finding.Finding.Id], report.Result.Target);
            }

            foreach (var finding in report.Configuration)
            {
                WriteConfigResult(results, finding, ruleIndex[finding.Id], report.Result.Target);
            }

            foreach (var secret in report.Secrets)
            {
                WriteSecretResult(results, secret, ruleIndex[secret.RuleId], report.Result.Target);
            }
        }, properties =>
        {
            var database = report.Result.Database;
            properties.WriteString("artifact", report.Result.Target.Source);
            properties.WriteString("manifestDigest", report.Result.Target.ManifestDigest);
            properties.WriteBoolean("databaseEmpty", database.IsEmpty);
            properties.WriteBoolean("databaseStale", database.IsStale);
            properties.WriteString("databaseUpdatedAt", database.UpdatedAt?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        });
    }

    private static void WriteRule(Utf8JsonWriter json, ScanFinding sample, SeverityRating rating)
    {
        var finding = sample.Finding;
        var uri = ReportTarget.AdvisoryUri(sample);
        var summary = string.IsNullOrWhiteSpace(finding.Summary) ? finding.Id : finding.Summary.Trim();
        json.WriteStartObject();
        json.WriteString("id", finding.Id);
        json.WriteString("name", "Vulnerability");
        json.WriteStartObject("shortDescription");
        json.WriteString("text", Truncate($"{finding.Id}: {summary}", 1000));
        json.WriteEndObject();
        json.WriteStartObject("fullDescription");
        json.WriteString("text", Truncate(summary, 4000));
        json.WriteEndObject();
        json.WriteString("helpUri", uri.AbsoluteUri);
        json.WriteStartObject("help");
        var aliases = string.Join(", ", finding.Ids);
        json.WriteString("text", $"{finding.Id} ({aliases}): {summary}. Severity {ReportTarget.SeverityName(rating)}. See {uri.AbsoluteUri}");
        json.WriteString("markdown", $"**{finding.Id}** ({aliases})\n\n{summary}\n\n| Severity | Source |\n|---|---|\n| {ReportTarget.SeverityName(rating)} | {finding.Severity.Source} |\n\n[{uri.AbsoluteUri}]({uri.AbsoluteUri})");
        json.WriteEndObject();
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", Level(rating));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("security-severity", SecuritySeverity(rating, finding.Severity.CvssScore));
        json.WriteString("precision", "very-high");
        json.WriteStartArray("tags");
        json.WriteStringValue("security");
        json.WriteStringValue("vulnerability");
        json.WriteStringValue(ReportTarget.SeverityName(rating));
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, ScanFinding entry, int ruleIndex, ScanTarget target)
    {
        var finding = entry.Finding;
        var package = entry.Package;
        json.WriteStartObject();
        json.WriteString("ruleId", finding.Id);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", Level(finding.Severity.Rating));
        SarifLog.WriteMessage(json, $"Package: {package.Name}\nInstalled version: {package.Version}\nVulnerability: {finding.Id}\n"
            + $"Severity: {ReportTarget.SeverityName(finding.Severity.Rating)}\nFixed version: {(finding.FixedVersions.Count == 0 ? "none" : string.Join(", ", finding.FixedVersions))}\n"
            + $"Remediation: {entry.Remediation}\nLink: {ReportTarget.AdvisoryUri(entry).AbsoluteUri}");
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        // GitHub wants a path relative to the repository; an image's files are written without the leading slash.
        json.WriteString("uri", RelativeUri(package.FoundIn));
        json.WriteString("uriBaseId", "ROOTPATH");
        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", 1);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("logicalLocations");
        json.WriteStartObject();
        json.WriteString("name", package.Name);
        json.WriteString("fullyQualifiedName", package.Purl);
        json.WriteString("kind", "package");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("partialFingerprints");
        json.WriteString(FingerprintKey, Fingerprint(target, entry));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("purl", package.Purl);
        json.WriteString("installedVersion", package.Version);
        json.WriteString("status", ReportTarget.StatusName(finding.Status));
        if (package.LayerIndex is { } layer)
        {
            json.WriteNumber("layerIndex", layer);
        }

        json.WriteString("layerDigest", package.LayerDigest);
        if (package.InBaseImage is { } inBase)
        {
            json.WriteBoolean("inBaseImage", inBase);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteConfigRule(Utf8JsonWriter json, ConfigFinding sample, SeverityRating rating)
    {
        var cwe = ImageFindingGuidance.ConfigCwe(sample.Id);
        WriteImageRule(json, sample.Id, "ImageConfiguration", sample.Title, sample.Remediation, rating, "configuration", cwe);
    }

    private static void WriteSecretRule(Utf8JsonWriter json, SecretFinding sample, SeverityRating rating) =>
        WriteImageRule(json, sample.RuleId, "Secret", sample.Title, ImageFindingGuidance.SecretRemediation(sample), rating, "secret", ImageFindingGuidance.SecretCwe);

    // The rule of a check that has no advisory page: what it detects, how to fix it, and the GitHub ranking properties.
    private static void WriteImageRule(Utf8JsonWriter json, string id, string name, string title, string remediation, SeverityRating rating,
        string kind, int? cwe)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("name", name);
        json.WriteStartObject("shortDescription");
        json.WriteString("text", Truncate($"{id}: {title}", 1000));
        json.WriteEndObject();
        json.WriteStartObject("fullDescription");
        json.WriteString("text", Truncate(title, 4000));
        json.WriteEndObject();
        if (cwe is { } weakness)
        {
            json.WriteString("helpUri", string.Create(CultureInfo.InvariantCulture, $"https://cwe.mitre.org/data/definitions/{weakness}.html"));
        }

        json.WriteStartObject("help");
        json.WriteString("text", $"{title}. Severity {ReportTarget.SeverityName(rating)}. Remediation: {remediation}");
        json.WriteString("markdown", $"**{id}**: {title}\n\n| Severity | Kind |\n|---|---|\n| {ReportTarget.SeverityName(rating)} | {kind} |\n\n**Remediation:** {remediation}");
        json.WriteEndObject();
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", Level(rating));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("security-severity", SecuritySeverity(rating, null));
        json.WriteString("precision", kind == "secret" ? "high" : "very-high");
        json.WriteStartArray("tags");
        json.WriteStringValue("security");
        json.WriteStringValue(kind);
        json.WriteStringValue(ReportTarget.SeverityName(rating));
        if (cwe is { } number)
        {
            json.WriteStringValue(string.Create(CultureInfo.InvariantCulture, $"external/cwe/cwe-{number}"));
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteConfigResult(Utf8JsonWriter json, ConfigFinding finding, int ruleIndex, ScanTarget target)
    {
        var rating = ScanReport.RatingOf(finding.Severity);
        json.WriteStartObject();
        json.WriteString("ruleId", finding.Id);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", Level(rating));
        SarifLog.WriteMessage(json, $"{finding.Title}\n{finding.Description}\nWhere: {ImageFindingGuidance.Where(finding)}\n"
            + $"Severity: {ReportTarget.SeverityName(rating)}\nRemediation: {finding.Remediation}");
        WriteImageLocation(json, finding.Path, 1, finding.Location, finding.Path is null ? "property" : "resource");
        json.WriteStartObject("partialFingerprints");
        json.WriteString(FingerprintKey, Hash(target.OperatingSystem?.Ecosystem ?? "", "config", finding.Id, finding.Path ?? finding.Location));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("location", finding.Location);
        if (finding.LayerIndex is { } layer)
        {
            json.WriteNumber("layerIndex", layer);
            json.WriteString("layerDigest", target.Layers.FirstOrDefault(l => l.Index == layer)?.Digest);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteSecretResult(Utf8JsonWriter json, SecretFinding secret, int ruleIndex, ScanTarget target)
    {
        var rating = ScanReport.RatingOf(secret.Severity);
        var where = secret.Path is { } path ? "/" + path : secret.ConfigLocation ?? "image configuration";
        json.WriteStartObject();
        json.WriteString("ruleId", secret.RuleId);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", Level(rating));
        SarifLog.WriteMessage(json, $"{secret.Title}: {secret.Match}\nWhere: {where}, line {secret.Line.ToString(CultureInfo.InvariantCulture)}\n"
            + $"Severity: {ReportTarget.SeverityName(rating)}\nRemediation: {ImageFindingGuidance.SecretRemediation(secret)}");
        // A secret in the config has a line within the config value, not within the Dockerfile it is placed on.
        WriteImageLocation(json, secret.Path, secret.Path is null ? 1 : Math.Max(1, secret.Line), secret.ConfigLocation, secret.Path is null ? "property" : "resource");
        json.WriteStartObject("partialFingerprints");
        // The redacted match, not the line: the same secret stays one alert when lines around it move.
        json.WriteString(FingerprintKey, Hash(target.OperatingSystem?.Ecosystem ?? "", "secret", secret.RuleId, secret.Path ?? secret.ConfigLocation ?? "", secret.Match));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("category", secret.Category);
        json.WriteString("match", secret.Match);
        if (secret.LayerIndex is { } layer)
        {
            json.WriteNumber("layerIndex", layer);
            json.WriteString("layerDigest", target.Layers.FirstOrDefault(l => l.Index == layer)?.Digest);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// A file of the image, relative (as GitHub wants), at a line; a finding in the image config (no file) is placed on
    /// <see cref="ConfigArtifactUri"/> — the instructions that set USER, ENV, EXPOSE, HEALTHCHECK and FROM — with the config
    /// key as the logical location.
    /// </summary>
    private static void WriteImageLocation(Utf8JsonWriter json, string? path, int line, string? logical, string logicalKind)
    {
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", path is null ? ConfigArtifactUri : RelativeUri(path));
        json.WriteString("uriBaseId", "ROOTPATH");
        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", line);
        json.WriteEndObject();
        json.WriteEndObject();
        if (logical is not null)
        {
            json.WriteStartArray("logicalLocations");
            json.WriteStartObject();
            json.WriteString("name", logical);
            json.WriteString("kind", logicalKind);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static string RelativeUri(string path) => Uri.EscapeDataString(path.TrimStart('/')).Replace("%2F", "/", StringComparison.Ordinal);

    /// <summary>SARIF result level: error for high and critical, warning for medium, note below.</summary>
    public static string Level(SeverityRating rating) => rating switch
    {
        SeverityRating.Critical or SeverityRating.High => "error",
        SeverityRating.Medium => "warning",
        _ => "note",
    };

    /// <summary>
    /// GitHub's <c>security-severity</c> (0.0–10.0; &gt;9 critical, ≥7 high, ≥4 medium, else low): the CVSS score when it
    /// falls in the band of the rating the finding has (vendor ratings win over CVSS), else the band's middle.
    /// </summary>
    public static string SecuritySeverity(SeverityRating rating, double? cvss)
    {
        var (low, high, middle) = rating switch
        {
            SeverityRating.Critical => (9.0, 10.0, 9.5),
            SeverityRating.High => (7.0, 8.9, 8.0),
            SeverityRating.Medium => (4.0, 6.9, 5.5),
            SeverityRating.Low => (0.1, 3.9, 2.0),
            _ => (0.0, 0.0, 0.0),
        };
        var score = cvss is { } s && s >= low && s <= high ? s : middle;
        return score.ToString("0.0", CultureInfo.InvariantCulture);
    }

    private static string Fingerprint(ScanTarget target, ScanFinding finding)
    {
        // Not the version nor the image tag: the alert is the same flaw in the same package at the same place
        // until it is fixed, across rebuilds and version bumps that do not fix it.
        return Hash(target.OperatingSystem?.Ecosystem ?? "", finding.Package.FoundIn, finding.Package.Type, finding.Package.Name, finding.Finding.Id);
    }

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..32];

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
