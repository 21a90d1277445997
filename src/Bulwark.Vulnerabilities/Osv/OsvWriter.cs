using System.Text.Json;

namespace Bulwark.Vulnerabilities.Osv;

/// <summary>
/// Writes the fields of <see cref="OsvVulnerability"/> back as OSV JSON. The advisory store keeps this compact form
/// (not the feed's bytes) so that records converted from non-OSV feeds are stored and read back the same way.
/// </summary>
public static class OsvWriter
{
    public static byte[] Write(OsvVulnerability advisory)
    {
        ArgumentNullException.ThrowIfNull(advisory);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", advisory.Id);
            Timestamp(writer, "modified", advisory.Modified);
            Timestamp(writer, "published", advisory.Published);
            Timestamp(writer, "withdrawn", advisory.Withdrawn);
            Strings(writer, "aliases", advisory.Aliases);
            Strings(writer, "related", advisory.Related);
            if (advisory.Summary is not null)
            {
                writer.WriteString("summary", advisory.Summary);
            }

            if (advisory.Details is not null)
            {
                writer.WriteString("details", advisory.Details);
            }

            Severities(writer, advisory.Severity);
            writer.WriteStartArray("affected");
            foreach (var affected in advisory.Affected)
            {
                Affected(writer, affected);
            }

            writer.WriteEndArray();
            if (advisory.References.Count > 0)
            {
                writer.WriteStartArray("references");
                foreach (var reference in advisory.References)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", reference.Type);
                    writer.WriteString("url", reference.Url);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            if (advisory.DatabaseSeverity is not null || advisory.Cwes.Count > 0)
            {
                writer.WriteStartObject("database_specific");
                if (advisory.DatabaseSeverity is not null)
                {
                    writer.WriteString("severity", advisory.DatabaseSeverity);
                }

                if (advisory.Cwes.Count > 0)
                {
                    writer.WriteStartArray("cwe_ids");
                    foreach (var cwe in advisory.Cwes)
                    {
                        writer.WriteStringValue(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"CWE-{cwe}"));
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Affected(Utf8JsonWriter writer, OsvAffected affected)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("package");
        writer.WriteString("ecosystem", affected.Package.Ecosystem);
        writer.WriteString("name", affected.Package.Name);
        if (affected.Package.Purl is not null)
        {
            writer.WriteString("purl", affected.Package.Purl);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("ranges");
        foreach (var range in affected.Ranges)
        {
            writer.WriteStartObject();
            writer.WriteString("type", range.Type switch
            {
                OsvRangeType.Semver => "SEMVER",
                OsvRangeType.Ecosystem => "ECOSYSTEM",
                _ => "GIT",
            });
            writer.WriteStartArray("events");
            foreach (var e in range.Events)
            {
                writer.WriteStartObject();
                writer.WriteString(
                    e.Kind switch
                    {
                        OsvEventKind.Introduced => "introduced",
                        OsvEventKind.Fixed => "fixed",
                        OsvEventKind.LastAffected => "last_affected",
                        _ => "limit",
                    },
                    e.Version);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        Strings(writer, "versions", affected.Versions);
        Severities(writer, affected.Severity);
        if (affected.VendorSeverity is not null || affected.Status is not null)
        {
            writer.WriteStartObject("ecosystem_specific");
            if (affected.VendorSeverity is not null)
            {
                writer.WriteString("urgency", affected.VendorSeverity);
            }

            if (affected.Status is { } status)
            {
                writer.WriteString("status", status switch
                {
                    DistroStatus.Affected => "affected",
                    DistroStatus.WillNotFix => "will-not-fix",
                    DistroStatus.FixDeferred => "fix-deferred",
                    _ => "under-investigation",
                });
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void Severities(Utf8JsonWriter writer, IReadOnlyList<OsvSeverity> severities)
    {
        if (severities.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("severity");
        foreach (var severity in severities)
        {
            writer.WriteStartObject();
            writer.WriteString("type", severity.Type);
            writer.WriteString("score", severity.Score);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void Timestamp(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
