using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bulwark.Policy.Images;

/// <summary>
/// The canonical JSON of a policy: fixed key order, defaults written out, set-like lists (repositories, registries,
/// base images, keys, allowlist) sorted and de-duplicated, keys by fingerprint and PEM (a <c>keyFile</c> becomes the
/// key it named). Two spellings of the same policy give the same bytes; any change in meaning gives other bytes.
/// </summary>
internal static class ImagePolicyCanonicalWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(string name, IReadOnlyList<ImagePolicyRule> rules)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", ImagePolicyDocument.ApiVersion);
            json.WriteString("kind", ImagePolicyDocument.Kind);
            json.WriteStartObject("metadata");
            json.WriteString("name", name);
            json.WriteEndObject();
            json.WriteStartObject("spec");
            json.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                WriteRule(json, rule);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteRule(Utf8JsonWriter json, ImagePolicyRule rule)
    {
        json.WriteStartObject();
        json.WriteString("name", rule.Name);
        WriteSet(json, "repositories", rule.Repositories.Select(r => r.Text));
        json.WriteString("mode", rule.Mode == PolicyMode.Audit ? "audit" : "enforce");
        if (rule.AllowedRegistries is { } registries)
        {
            WriteSet(json, "allowedRegistries", registries);
        }

        if (rule.ApprovedBaseImages is { } baseImages)
        {
            WriteSet(json, "approvedBaseImages", baseImages.Select(b => b.Text));
        }

        if (rule.RequireSignature is { } signature)
        {
            json.WriteStartObject("requireSignature");
            WriteKeys(json, signature.Keys);
            json.WriteNumber("minimum", signature.Minimum);
            json.WriteEndObject();
        }

        if (rule.Vulnerabilities is { } vulnerabilities)
        {
            json.WriteStartObject("vulnerabilities");
            json.WriteString("maximumSeverity", vulnerabilities.MaximumSeverity.ToString().ToLowerInvariant());
            json.WriteBoolean("ignoreUnfixed", vulnerabilities.IgnoreUnfixed);
            json.WriteStartArray("allow");
            foreach (var allowed in vulnerabilities.Allow.OrderBy(a => a.Id, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("id", allowed.Id);
                json.WriteString("reason", allowed.Reason);
                if (allowed.Expires is { } expires)
                {
                    json.WriteString("expires", expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }
                else
                {
                    json.WriteNull("expires");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (rule.Image is { } image)
        {
            json.WriteStartObject("image");
            json.WriteBoolean("noRootUser", image.NoRootUser);
            if (image.MaximumAgeDays is { } days)
            {
                json.WriteNumber("maximumAgeDays", days);
            }
            else
            {
                json.WriteNull("maximumAgeDays");
            }

            json.WriteBoolean("noSecrets", image.NoSecrets);
            json.WriteEndObject();
        }

        if (rule.Provenance is { } provenance)
        {
            json.WriteStartObject("provenance");
            json.WriteBoolean("required", true);
            WriteKeys(json, provenance.Keys);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteKeys(Utf8JsonWriter json, IReadOnlyList<TrustedKey> keys)
    {
        json.WriteStartArray("keys");
        foreach (var key in keys.OrderBy(k => k.Name, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", key.Name);
            json.WriteString("fingerprint", key.Key.Fingerprint);
            json.WriteString("publicKey", key.Key.ToPem());
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteSet(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
