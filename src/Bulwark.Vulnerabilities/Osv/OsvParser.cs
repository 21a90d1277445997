using System.Globalization;
using System.Text.Json;

namespace Bulwark.Vulnerabilities.Osv;

/// <summary>
/// Reads OSV JSON (schema 1.x). Strict about what matching depends on — an id, well-formed affected packages,
/// ranges with exactly one event per object — and tolerant of every field it does not use, as the schema asks
/// ("consumers should ignore unknown fields").
/// </summary>
public static class OsvParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <exception cref="OsvFormatException">The document is not a valid OSV record or exceeds a limit.</exception>
    public static OsvVulnerability Parse(ReadOnlyMemory<byte> json, OsvLimits? limits = null)
    {
        limits ??= OsvLimits.Default;
        if (json.Length > limits.MaxDocumentBytes)
        {
            throw new OsvFormatException($"document is {json.Length} bytes, over the limit of {limits.MaxDocumentBytes}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new OsvFormatException("not valid JSON: " + e.Message, e);
        }

        using (document)
        {
            return Read(document.RootElement, limits);
        }
    }

    /// <summary>Reads a whole stream, refusing more than <see cref="OsvLimits.MaxDocumentBytes"/>.</summary>
    public static async Task<OsvVulnerability> ParseAsync(Stream stream, OsvLimits? limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= OsvLimits.Default;
        var bytes = await BoundedRead.ReadAllAsync(stream, limits.MaxDocumentBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new OsvFormatException($"document is over the limit of {limits.MaxDocumentBytes} bytes");
        return Parse(bytes, limits);
    }

    private static OsvVulnerability Read(JsonElement root, OsvLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new OsvFormatException("an OSV record must be a JSON object");
        }

        var id = RequiredString(root, "id", limits);
        try
        {
            return new OsvVulnerability
            {
                Id = id,
                Modified = Timestamp(root, "modified"),
                Published = Timestamp(root, "published"),
                Withdrawn = Timestamp(root, "withdrawn"),
                Aliases = Strings(root, "aliases", limits.MaxAliases, limits),
                Related = Strings(root, "related", limits.MaxAliases, limits),
                Summary = OptionalString(root, "summary", limits),
                Details = OptionalString(root, "details", limits),
                Severity = Severities(root, limits),
                Affected = Array(root, "affected", limits.MaxAffected, e => Affected(e, limits)),
                DatabaseSeverity = TryObject(root, "database_specific", out var db) ? OptionalString(db, "severity", limits) : null,
                References = References(root, limits),
                Cwes = TryObject(root, "database_specific", out var specific) ? CweIds(specific, limits) : [],
            };
        }
        catch (OsvFormatException e)
        {
            throw new OsvFormatException($"{id}: {e.Message}", e);
        }
    }

    private static OsvAffected Affected(JsonElement element, OsvLimits limits)
    {
        RequireObject(element, "affected[]");
        if (!TryObject(element, "package", out var package))
        {
            throw new OsvFormatException("affected[] without a package (Bulwark matches packages only)");
        }

        string? vendorSeverity = null;
        DistroStatus? status = null;
        if (TryObject(element, "ecosystem_specific", out var ecosystemSpecific))
        {
            vendorSeverity = LabelOrNull(ecosystemSpecific, "urgency", limits) ?? LabelOrNull(ecosystemSpecific, "severity", limits);
            status = OptionalString(ecosystemSpecific, "status", limits) switch
            {
                null => null,
                "affected" => DistroStatus.Affected,
                "will-not-fix" => DistroStatus.WillNotFix,
                "fix-deferred" => DistroStatus.FixDeferred,
                "under-investigation" => DistroStatus.UnderInvestigation,
                _ => null,
            };
        }

        if (vendorSeverity is null && TryObject(element, "database_specific", out var databaseSpecific))
        {
            vendorSeverity = LabelOrNull(databaseSpecific, "urgency", limits);
        }

        return new OsvAffected
        {
            Package = new OsvPackage(
                RequiredString(package, "ecosystem", limits),
                RequiredString(package, "name", limits),
                OptionalString(package, "purl", limits)),
            Ranges = Array(element, "ranges", limits.MaxRangesPerAffected, e => Range(e, limits)),
            Versions = Strings(element, "versions", limits.MaxVersionsPerAffected, limits),
            Severity = Severities(element, limits),
            VendorSeverity = vendorSeverity,
            Status = status,
        };
    }

    private static OsvRange Range(JsonElement element, OsvLimits limits)
    {
        RequireObject(element, "ranges[]");
        var type = RequiredString(element, "type", limits) switch
        {
            "SEMVER" => OsvRangeType.Semver,
            "ECOSYSTEM" => OsvRangeType.Ecosystem,
            "GIT" => OsvRangeType.Git,
            var other => throw new OsvFormatException($"unknown range type '{other}'"),
        };
        var events = Array(element, "events", limits.MaxEventsPerRange, e => Event(e, limits));
        if (events.Count == 0)
        {
            throw new OsvFormatException("a range needs at least one event");
        }

        return new OsvRange(type, events);
    }

    private static OsvEvent Event(JsonElement element, OsvLimits limits)
    {
        RequireObject(element, "events[]");
        OsvEvent? found = null;
        foreach (var property in element.EnumerateObject())
        {
            OsvEventKind? kind = property.Name switch
            {
                "introduced" => OsvEventKind.Introduced,
                "fixed" => OsvEventKind.Fixed,
                "last_affected" => OsvEventKind.LastAffected,
                "limit" => OsvEventKind.Limit,
                _ => null,
            };
            if (kind is null)
            {
                continue;
            }

            if (found is not null)
            {
                throw new OsvFormatException("an event must have exactly one of introduced, fixed, last_affected, limit");
            }

            found = new OsvEvent(kind.Value, StringValue(property.Value, property.Name, limits));
        }

        return found ?? throw new OsvFormatException("an event must have one of introduced, fixed, last_affected, limit");
    }

    private static List<OsvSeverity> Severities(JsonElement element, OsvLimits limits) =>
        Array(element, "severity", 16, e =>
        {
            RequireObject(e, "severity[]");
            return new OsvSeverity(RequiredString(e, "type", limits), RequiredString(e, "score", limits));
        });

    // Report-only fields are read leniently: a malformed or surplus entry is dropped, never a reason to refuse the advisory.
    private static List<OsvReference> References(JsonElement root, OsvLimits limits)
    {
        if (!root.TryGetProperty("references", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var list = new List<OsvReference>();
        foreach (var item in value.EnumerateArray())
        {
            if (list.Count >= limits.MaxReferences)
            {
                break;
            }

            if (item.ValueKind == JsonValueKind.Object
                && LabelOrNull(item, "url", limits) is { } url
                && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
            {
                list.Add(new OsvReference(LabelOrNull(item, "type", limits) ?? "WEB", uri.AbsoluteUri));
            }
        }

        return list;
    }

    private static List<int> CweIds(JsonElement databaseSpecific, OsvLimits limits)
    {
        if (!databaseSpecific.TryGetProperty("cwe_ids", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var list = new List<int>();
        foreach (var item in value.EnumerateArray())
        {
            if (list.Count >= limits.MaxReferences)
            {
                break;
            }

            if (item.ValueKind == JsonValueKind.String && item.GetString() is { } text
                && text.StartsWith("CWE-", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
                && !list.Contains(number))
            {
                list.Add(number);
            }
        }

        return list;
    }

    private static List<T> Array<T>(JsonElement parent, string name, int max, Func<JsonElement, T> read)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new OsvFormatException($"'{name}' must be an array");
        }

        var length = value.GetArrayLength();
        if (length > max)
        {
            throw new OsvFormatException($"'{name}' has {length} entries, over the limit of {max}");
        }

        var list = new List<T>(length);
        foreach (var item in value.EnumerateArray())
        {
            list.Add(read(item));
        }

        return list;
    }

    private static List<string> Strings(JsonElement parent, string name, int max, OsvLimits limits) =>
        Array(parent, name, max, e => StringValue(e, name, limits));

    private static string RequiredString(JsonElement parent, string name, OsvLimits limits)
    {
        var value = OptionalString(parent, name, limits);
        return string.IsNullOrEmpty(value) ? throw new OsvFormatException($"'{name}' is required") : value;
    }

    private static string? OptionalString(JsonElement parent, string name, OsvLimits limits) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? StringValue(value, name, limits)
            : null;

    // Vendor ratings appear as strings in most feeds; anything else (objects in some ecosystem_specific blocks) is not a rating.
    private static string? LabelOrNull(JsonElement parent, string name, OsvLimits limits) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? StringValue(value, name, limits)
            : null;

    private static string StringValue(JsonElement value, string name, OsvLimits limits)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new OsvFormatException($"'{name}' must be a string");
        }

        var text = value.GetString()!;
        return text.Length > limits.MaxStringLength
            ? throw new OsvFormatException($"'{name}' is longer than {limits.MaxStringLength} characters")
            : text;
    }

    private static DateTimeOffset? Timestamp(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new OsvFormatException($"'{name}' must be an RFC 3339 timestamp");
        }

        // golang/vulndb writes Go's zero time for "unknown".
        return time.Year <= 1 ? null : time;
    }

    private static bool TryObject(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object;

    private static void RequireObject(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new OsvFormatException($"{what} must be an object");
        }
    }
}
