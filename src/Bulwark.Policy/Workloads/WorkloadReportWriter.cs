using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bulwark.Vulnerabilities.Reports;

namespace Bulwark.Policy.Workloads;

/// <summary>
/// Writes a <see cref="WorkloadCheckReport"/> as a table for people, as JSON for scripts (<c>schemaVersion</c> 1), or
/// as SARIF 2.1.0 for code-scanning tools (one rule per Pod Security control, one result per violation located at
/// the manifest file and the line its document starts on).
/// </summary>
public static class WorkloadReportWriter
{
    public const int JsonSchemaVersion = 1;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteTableAsync(WorkloadCheckReport report, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var lines = new List<string> { $"Checked: {report.Scope}.", "" };
        foreach (var result in report.Results)
        {
            var o = result.Workload.Source;
            var verdict = result.Exemption is { } exemption ? $"allowed (exempt: {exemption})" : result.Allowed ? "allowed" : "DENIED";
            lines.Add($"{o.Source}:{o.Line.ToString(CultureInfo.InvariantCulture)}  {o.DisplayName}  namespace={result.Namespace}  "
                + $"{PodSecurityLevels.Name(result.Level)}:{result.Version}  {verdict}");
            foreach (var violation in result.Violations)
            {
                lines.Add($"    - [{violation.CheckId}] {violation}");
            }

            foreach (var finding in result.ImageFindings)
            {
                lines.Add($"    - {finding}");
            }
        }

        var exempt = report.Results.Count(r => r.Exemption is not null);
        lines.Add("");
        lines.Add($"{report.Results.Count} workloads in {report.ObjectCount} objects: {report.Results.Count - report.DeniedCount} allowed"
            + (exempt > 0 ? $" ({exempt} exempt)" : "") + $", {report.DeniedCount} denied");
        foreach (var line in lines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(line).ConfigureAwait(false);
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteJsonAsync(WorkloadCheckReport report, Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var json = new Utf8JsonWriter(stream, WriterOptions);
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", JsonSchemaVersion);
            json.WriteString("scope", report.Scope);
            json.WriteString("defaultLevel", PodSecurityLevels.Name(report.Options.Level));
            json.WriteString("defaultVersion", report.Options.Version.ToString());
            json.WriteBoolean("allowed", report.AllAllowed);
            json.WriteStartObject("summary");
            json.WriteNumber("objects", report.ObjectCount);
            json.WriteNumber("workloads", report.Results.Count);
            json.WriteNumber("allowed", report.Results.Count - report.DeniedCount);
            json.WriteNumber("denied", report.DeniedCount);
            json.WriteNumber("exempt", report.Results.Count(r => r.Exemption is not null));
            json.WriteEndObject();
            json.WriteStartArray("results");
            foreach (var result in report.Results)
            {
                var o = result.Workload.Source;
                json.WriteStartObject();
                json.WriteString("file", o.Source);
                json.WriteNumber("document", o.Document);
                if (o.Item is { } item)
                {
                    json.WriteNumber("item", item + 1);
                }

                json.WriteNumber("line", o.Line);
                json.WriteString("apiVersion", o.ApiVersion);
                json.WriteString("kind", o.Kind);
                json.WriteString("name", o.Metadata.Name);
                json.WriteString("namespace", result.Namespace);
                json.WriteString("podSpecPath", result.Workload.SpecPath);
                json.WriteString("level", PodSecurityLevels.Name(result.Level));
                json.WriteString("version", result.Version.ToString());
                json.WriteString("levelSource", result.LevelSource);
                json.WriteBoolean("allowed", result.Allowed);
                json.WriteString("exemption", result.Exemption);
                json.WriteStartArray("violations");
                foreach (var violation in result.Violations)
                {
                    json.WriteStartObject();
                    json.WriteString("control", violation.CheckId);
                    json.WriteString("reason", violation.Reason);
                    json.WriteString("detail", violation.Detail);
                    json.WriteStartArray("containers");
                    foreach (var container in violation.Containers)
                    {
                        json.WriteStringValue(container);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("imageFindings");
                foreach (var finding in result.ImageFindings)
                {
                    json.WriteStartObject();
                    json.WriteString("rule", finding.Rule);
                    json.WriteString("container", finding.Container);
                    json.WriteString("image", finding.Image);
                    json.WriteString("message", finding.Message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task WriteSarifAsync(WorkloadCheckReport report, Stream stream, string toolVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rules = report.Results.SelectMany(r => r.Violations).Select(v => v.CheckId)
            .Concat(report.Results.SelectMany(r => r.ImageFindings).Select(f => ImageRuleId(f.Rule)))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var ruleIndex = rules.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        var json = new Utf8JsonWriter(stream, WriterOptions);
        await using (json.ConfigureAwait(false))
        {
            SarifLog.Write(json, toolVersion, PodSecurityControls.DocumentationUri, rulesArray =>
            {
                foreach (var id in rules)
                {
                    WriteSarifRule(rulesArray, id);
                }
            }, notifications => SarifLog.WriteNotification(notifications, "note", $"Checked: {report.Scope}."), results =>
            {
                foreach (var result in report.Results)
                {
                    foreach (var violation in result.Violations)
                    {
                        WriteSarifResult(results, result, violation, ruleIndex[violation.CheckId]);
                    }

                    foreach (var finding in result.ImageFindings)
                    {
                        var id = ImageRuleId(finding.Rule);
                        WriteSarifResult(results, result, id, ruleIndex[id],
                            $"{result.Workload.Source.DisplayName} in namespace {result.Namespace}: {finding}",
                            $"{result.Namespace}/{result.Workload.Source.Kind}/{result.Workload.Source.Metadata.Name}/{id}/{finding.Container}/{finding.Image}",
                            finding.Container is null ? [] : [finding.Container]);
                    }
                }
            });
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void WriteSarifRule(Utf8JsonWriter json, string id)
    {
        var image = id.StartsWith(ImageRulePrefix, StringComparison.Ordinal);
        var title = image ? $"Image rule {id[ImageRulePrefix.Length..]} (Bulwark admission)" : PodSecurityControls.Title(id);
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("name", image ? "ImageRule" : "PodSecurity");
        json.WriteStartObject("shortDescription");
        json.WriteString("text", title);
        json.WriteEndObject();
        json.WriteString("helpUri", PodSecurityControls.DocumentationUri);
        json.WriteStartObject("help");
        json.WriteString("text", $"{title}. See {PodSecurityControls.DocumentationUri}");
        json.WriteEndObject();
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", "error");
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteStartArray("tags");
        json.WriteStringValue("security");
        json.WriteStringValue("kubernetes");
        json.WriteStringValue(image ? "image" : "pod-security");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private const string ImageRulePrefix = "image/";

    private static string ImageRuleId(string rule) => ImageRulePrefix + rule;

    private static void WriteSarifResult(Utf8JsonWriter json, WorkloadResult result, PodSecurityViolation violation, int ruleIndex)
    {
        var o = result.Workload.Source;
        WriteSarifResult(json, result, violation.CheckId, ruleIndex,
            $"{o.DisplayName} in namespace {result.Namespace} violates PodSecurity \"{PodSecurityLevels.Name(result.Level)}:{result.Version}\": {violation}",
            $"{result.Namespace}/{o.Kind}/{o.Metadata.Name}/{violation.CheckId}", violation.Containers);
    }

    private static void WriteSarifResult(Utf8JsonWriter json, WorkloadResult result, string ruleId, int ruleIndex, string message, string fingerprint,
        IReadOnlyList<string> containers)
    {
        var o = result.Workload.Source;
        json.WriteStartObject();
        json.WriteString("ruleId", ruleId);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", "error");
        SarifLog.WriteMessage(json, message);
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", FileUri(o.Source));
        json.WriteEndObject();
        if (o.Line > 0)
        {
            json.WriteStartObject("region");
            json.WriteNumber("startLine", o.Line);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteStartArray("logicalLocations");
        json.WriteStartObject();
        json.WriteString("name", o.Metadata.Name ?? o.Kind);
        json.WriteString("fullyQualifiedName", $"{result.Namespace}/{o.DisplayName}");
        json.WriteString("kind", "object");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("partialFingerprints");
        json.WriteString("bulwarkPodSecurity/v1", fingerprint);
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("namespace", result.Namespace);
        json.WriteString("kind", o.Kind);
        json.WriteString("level", PodSecurityLevels.Name(result.Level));
        json.WriteString("version", result.Version.ToString());
        json.WriteStartArray("containers");
        foreach (var container in containers)
        {
            json.WriteStringValue(container);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    // SARIF artifact locations are URI references: relative paths keep their form with each segment escaped.
    private static string FileUri(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return new Uri(path).AbsoluteUri;
        }

        return string.Join('/', path.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
    }
}
