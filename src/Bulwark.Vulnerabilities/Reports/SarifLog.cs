using System.Text.Json;

namespace Bulwark.Vulnerabilities.Reports;

/// <summary>
/// The SARIF 2.1.0 envelope every Bulwark SARIF report shares (the scan report and <c>bulwark k8s check</c>'s): one
/// run of the tool <c>bulwark</c>, its rules, one invocation with its notifications, the results, and optional run
/// properties. The callers write the parts inside.
/// </summary>
public static class SarifLog
{
    /// <summary>Writes the whole log; each callback writes the items of its array (or the members of the properties object).</summary>
    public static void Write(Utf8JsonWriter json, string toolVersion, string informationUri, Action<Utf8JsonWriter> rules,
        Action<Utf8JsonWriter> notifications, Action<Utf8JsonWriter> results, Action<Utf8JsonWriter>? runProperties = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "bulwark");
        json.WriteString("semanticVersion", toolVersion);
        json.WriteString("informationUri", informationUri);
        json.WriteStartArray("rules");
        rules(json);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", true);
        json.WriteStartArray("toolExecutionNotifications");
        notifications(json);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteStartArray("results");
        results(json);
        json.WriteEndArray();

        if (runProperties is not null)
        {
            json.WriteStartObject("properties");
            runProperties(json);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A message object: <c>"message": {"text": …}</c>.</summary>
    public static void WriteMessage(Utf8JsonWriter json, string text)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject("message");
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    /// <summary>One item of the invocation's <c>toolExecutionNotifications</c>: a level, a message and, when given, the descriptor's id.</summary>
    public static void WriteNotification(Utf8JsonWriter json, string level, string text, string? descriptorId = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("level", level);
        WriteMessage(json, text);
        if (descriptorId is not null)
        {
            json.WriteStartObject("descriptor");
            json.WriteString("id", descriptorId);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
