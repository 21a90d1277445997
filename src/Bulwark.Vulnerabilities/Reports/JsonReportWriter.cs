using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.Vulnerabilities.Reports;

/// <summary>
/// The JSON report (docs/scan-report.md): a stable, documented schema with <c>schemaVersion</c>. Fields are only
/// added within a schema version; a rename or removal bumps it.
/// </summary>
public static class JsonReportWriter
{
    public const int SchemaVersion = 1;

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
        var result = report.Result;
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteStartObject("tool");
        json.WriteString("name", "bulwark");
        json.WriteString("version", report.ToolVersion);
        json.WriteEndObject();
        json.WriteString("scannedAt", Time(result.ScannedAt));

        var target = result.Target;
        json.WriteStartObject("artifact");
        json.WriteString("source", target.Source);
        json.WriteString("manifestDigest", target.ManifestDigest);
        json.WriteString("configDigest", target.ConfigDigest);
        json.WriteString("platform", target.Platform);
        if (target.OperatingSystem is { } os)
        {
            json.WriteStartObject("os");
            json.WriteString("id", os.Id);
            json.WriteString("version", os.Version);
            json.WriteString("name", os.Name);
            json.WriteString("ecosystem", os.Ecosystem);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("os");
        }

        json.WriteEndObject();

        var database = result.Database;
        json.WriteStartObject("database");
        json.WriteBoolean("empty", database.IsEmpty);
        json.WriteBoolean("stale", database.IsStale);
        if (database.UpdatedAt is { } updated)
        {
            json.WriteString("updatedAt", Time(updated));
        }
        else
        {
            json.WriteNull("updatedAt");
        }

        if (database.Age is { } age)
        {
            json.WriteNumber("ageSeconds", (long)age.TotalSeconds);
        }
        else
        {
            json.WriteNull("ageSeconds");
        }

        json.WriteNumber("maxAgeSeconds", (long)database.MaxAge.TotalSeconds);
        json.WriteNumber("advisories", database.AdvisoryCount);
        json.WriteStartArray("sources");
        foreach (var source in database.Sources)
        {
            json.WriteStartObject();
            json.WriteString("name", source.Name);
            json.WriteString("url", source.Url);
            json.WriteString("importedAt", Time(source.ImportedAt));
            json.WriteNumber("advisories", source.AdvisoryCount);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteStrings(json, "missingEcosystems", database.MissingEcosystems);
        json.WriteEndObject();

        json.WriteStartObject("summary");
        json.WriteNumber("packages", result.PackageCount);
        json.WriteNumber("checkedPackages", result.CheckedPackageCount);
        json.WriteNumber("findings", report.Findings.Count);
        json.WriteNumber("ignored", report.Ignored.Count);
        json.WriteNumber("secrets", report.Secrets.Count);
        json.WriteNumber("configuration", report.Configuration.Count);
        json.WriteStartObject("bySeverity");
        foreach (var (rating, count) in report.CountsBySeverity.OrderByDescending(c => c.Key))
        {
            json.WriteNumber(ReportTarget.SeverityName(rating), count);
        }

        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("filters");
        if (report.Filter.Severities is { } severities)
        {
            WriteStrings(json, "severities", [.. severities.OrderDescending().Select(ReportTarget.SeverityName)]);
        }
        else
        {
            json.WriteNull("severities");
        }

        json.WriteBoolean("ignoreUnfixed", report.Filter.IgnoreUnfixed);
        json.WriteString("ignoreFile", report.Filter.IgnoreFile);
        json.WriteEndObject();

        json.WriteStartArray("results");
        foreach (var group in ReportTarget.Group(report.Findings))
        {
            json.WriteStartObject();
            json.WriteString("target", group.Name);
            json.WriteString("class", group.Class);
            json.WriteString("type", group.Type);
            json.WriteStartArray("findings");
            foreach (var finding in group.Findings)
            {
                WriteFinding(json, finding, null);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("ignored");
        foreach (var (finding, rule) in report.Ignored)
        {
            WriteFinding(json, finding, rule);
        }

        json.WriteEndArray();

        json.WriteStartArray("expiredIgnores");
        foreach (var rule in report.ExpiredIgnores)
        {
            WriteRule(json, rule);
        }

        json.WriteEndArray();

        json.WriteStartArray("secrets");
        foreach (var secret in report.Secrets)
        {
            WriteSecret(json, secret, null);
        }

        json.WriteEndArray();

        json.WriteStartArray("ignoredSecrets");
        foreach (var (secret, rule) in report.IgnoredSecrets)
        {
            WriteSecret(json, secret, rule);
        }

        json.WriteEndArray();

        json.WriteStartArray("configuration");
        foreach (var finding in report.Configuration)
        {
            WriteConfiguration(json, finding, result.Target, null);
        }

        json.WriteEndArray();

        json.WriteStartArray("ignoredConfiguration");
        foreach (var (finding, rule) in report.IgnoredConfiguration)
        {
            WriteConfiguration(json, finding, result.Target, rule);
        }

        json.WriteEndArray();

        json.WriteStartArray("warnings");
        foreach (var warning in result.Warnings)
        {
            json.WriteStartObject();
            json.WriteString("kind", ReportTarget.WarningKindName(warning.Kind));
            json.WriteString("message", warning.Message);
            json.WriteString("package", warning.Package);
            json.WriteString("advisoryId", warning.AdvisoryId);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFinding(Utf8JsonWriter json, ScanFinding entry, IgnoreRule? ignoredBy)
    {
        var finding = entry.Finding;
        var package = entry.Package;
        json.WriteStartObject();
        json.WriteString("id", finding.Id);
        WriteStrings(json, "ids", finding.Ids);
        WriteStrings(json, "advisories", finding.Advisories);
        json.WriteString("summary", finding.Summary);
        json.WriteString("severity", ReportTarget.SeverityName(finding.Severity.Rating));
        json.WriteString("severitySource", finding.Severity.Source switch
        {
            Severity.SeveritySource.Vendor => "vendor",
            Severity.SeveritySource.GitHubAdvisory => "github",
            Severity.SeveritySource.Cvss => "cvss",
            _ => "none",
        });
        if (finding.Severity.CvssScore is { } score)
        {
            json.WriteNumber("cvssScore", score);
        }
        else
        {
            json.WriteNull("cvssScore");
        }

        json.WriteString("cvssVector", finding.Severity.CvssVector);
        json.WriteString("status", ReportTarget.StatusName(finding.Status));
        json.WriteString("installedVersion", finding.InstalledVersion);
        WriteStrings(json, "fixedVersions", finding.FixedVersions);
        json.WriteString("remediation", entry.Remediation);
        json.WriteString("url", ReportTarget.AdvisoryUri(entry).AbsoluteUri);

        json.WriteStartObject("package");
        json.WriteString("name", package.Name);
        json.WriteString("version", package.Version);
        json.WriteString("type", package.Type);
        json.WriteString("purl", package.Purl);
        json.WriteString("ecosystem", package.Ecosystem);
        json.WriteString("sourceName", package.SourceName);
        json.WriteString("sourceVersion", package.SourceVersion);
        json.WriteString("foundIn", package.FoundIn);
        json.WriteStartObject("layer");
        if (package.LayerIndex is { } index)
        {
            json.WriteNumber("index", index);
        }
        else
        {
            json.WriteNull("index");
        }

        json.WriteString("digest", package.LayerDigest);
        json.WriteString("diffId", package.LayerDiffId);
        if (package.InBaseImage is { } inBase)
        {
            json.WriteBoolean("inBaseImage", inBase);
        }
        else
        {
            json.WriteNull("inBaseImage");
        }

        json.WriteEndObject();
        json.WriteEndObject();

        if (ignoredBy is not null)
        {
            json.WritePropertyName("ignoredBy");
            WriteRule(json, ignoredBy);
        }

        json.WriteEndObject();
    }

    private static void WriteSecret(Utf8JsonWriter json, Bulwark.Analysis.Secrets.SecretFinding secret, IgnoreRule? ignoredBy)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", secret.RuleId);
        json.WriteString("category", secret.Category);
        json.WriteString("severity", ReportTarget.SeverityName(ScanReport.RatingOf(secret.Severity)));
        json.WriteString("title", secret.Title);
        json.WriteString("path", secret.Path is null ? null : "/" + secret.Path);
        json.WriteString("configLocation", secret.ConfigLocation);
        if (secret.LayerIndex is { } layer)
        {
            json.WriteNumber("layerIndex", layer);
        }

        json.WriteNumber("line", secret.Line);
        json.WriteString("match", secret.Match);
        json.WriteString("remediation", ImageFindingGuidance.SecretRemediation(secret));
        if (ignoredBy is not null)
        {
            json.WritePropertyName("ignoredBy");
            WriteRule(json, ignoredBy);
        }

        json.WriteEndObject();
    }

    private static void WriteConfiguration(Utf8JsonWriter json, Bulwark.Analysis.Configuration.ConfigFinding finding, ScanTarget target, IgnoreRule? ignoredBy)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.Id);
        json.WriteString("severity", ReportTarget.SeverityName(ScanReport.RatingOf(finding.Severity)));
        json.WriteString("title", finding.Title);
        json.WriteString("message", finding.Description);
        json.WriteString("location", finding.Location);
        json.WriteString("path", finding.Path is null ? null : "/" + finding.Path.TrimStart('/'));
        var layer = finding.LayerIndex is { } index ? target.Layers.FirstOrDefault(l => l.Index == index) : null;
        if (finding.LayerIndex is { } layerIndex)
        {
            json.WriteNumber("layerIndex", layerIndex);
        }
        else
        {
            json.WriteNull("layerIndex");
        }

        json.WriteString("layerDigest", layer?.Digest ?? layer?.DiffId);
        json.WriteString("remediation", finding.Remediation);
        if (ImageFindingGuidance.ConfigCwe(finding.Id) is { } cwe)
        {
            json.WriteString("cwe", string.Create(CultureInfo.InvariantCulture, $"CWE-{cwe}"));
        }
        else
        {
            json.WriteNull("cwe");
        }

        if (ignoredBy is not null)
        {
            json.WritePropertyName("ignoredBy");
            WriteRule(json, ignoredBy);
        }

        json.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter json, IgnoreRule rule)
    {
        json.WriteStartObject();
        json.WriteString("id", rule.Id);
        json.WriteString("package", rule.Package);
        json.WriteString("purl", rule.Purl);
        json.WriteString("path", rule.Path);
        json.WriteString("reason", rule.Reason);
        json.WriteString("expires", rule.Expires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        json.WriteNumber("line", rule.Line);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
