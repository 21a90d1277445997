using System.Text.Json;

namespace Bulwark.Oci;

/// <summary>
/// Strict parser for OCI image manifests and indexes and Docker schema 2 manifests and manifest lists.
/// Every rule it enforces comes from the image spec (manifest.md, image-index.md, descriptor.md).
/// </summary>
public static class ManifestParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    /// <summary>
    /// Parses <paramref name="content"/>. <paramref name="contentType"/> is the HTTP Content-Type the client
    /// sent (null when unknown); the manifest's own <c>mediaType</c> must agree with it when both are present.
    /// </summary>
    /// <exception cref="ManifestFormatException">The manifest is malformed or of an unsupported type.</exception>
    public static ManifestDocument Parse(ReadOnlyMemory<byte> content, string? contentType)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, Options);
        }
        catch (JsonException e)
        {
            throw new ManifestFormatException($"manifest is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ManifestFormatException("manifest must be a JSON object");
            }

            if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out var schemaVersion) || schemaVersion != 2)
            {
                throw new ManifestFormatException("schemaVersion must be 2");
            }

            var declared = OptionalString(root, "mediaType");
            var headerType = NormalizeContentType(contentType);
            if (declared is not null && headerType is not null && declared != headerType)
            {
                throw new ManifestFormatException($"mediaType '{declared}' does not match Content-Type '{headerType}'");
            }

            var mediaType = declared ?? headerType ?? Infer(root)
                ?? throw new ManifestFormatException("manifest media type is unknown: set mediaType or Content-Type");
            if (!MediaTypes.Manifests.Contains(mediaType))
            {
                throw new ManifestFormatException($"unsupported manifest media type '{mediaType}'");
            }

            var subject = root.TryGetProperty("subject", out var s) ? ReadDescriptor(s, "subject") : null;
            var artifactType = OptionalString(root, "artifactType");
            var annotations = ReadAnnotations(root, "annotations");

            if (MediaTypes.IsIndex(mediaType))
            {
                return new ManifestDocument
                {
                    MediaType = mediaType,
                    References = ReadDescriptorArray(root, "manifests"),
                    Subject = subject,
                    ArtifactType = artifactType,
                    Annotations = annotations,
                };
            }

            if (!root.TryGetProperty("config", out var configElement))
            {
                throw new ManifestFormatException("image manifest has no config");
            }

            var config = ReadDescriptor(configElement, "config");
            var layers = ReadDescriptorArray(root, "layers");
            if (artifactType is null && config.MediaType == MediaTypes.OciEmpty && mediaType == MediaTypes.OciManifest)
            {
                // image-spec manifest.md: artifactType MUST be set when config.mediaType is the empty type.
                throw new ManifestFormatException("artifactType is required when the config is the empty descriptor");
            }

            return new ManifestDocument
            {
                MediaType = mediaType,
                Config = config,
                References = [config, .. layers],
                Subject = subject,
                ArtifactType = artifactType,
                Annotations = annotations,
            };
        }
    }

    /// <summary>Strips parameters (<c>; charset=…</c>) from a Content-Type header value.</summary>
    public static string? NormalizeContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var bare = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        // Clients that do not know the type send a generic one; treat it as absent.
        return bare is "" or "application/json" or "application/octet-stream" ? null : bare;
    }

    private static string? Infer(JsonElement root) =>
        root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex
        : root.TryGetProperty("config", out _) ? MediaTypes.OciManifest
        : null;

    private static List<Descriptor> ReadDescriptorArray(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new ManifestFormatException($"'{name}' must be an array of descriptors");
        }

        var list = new List<Descriptor>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            list.Add(ReadDescriptor(item, $"{name}[{i++}]"));
        }

        return list;
    }

    private static Descriptor ReadDescriptor(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestFormatException($"{where} must be a descriptor object");
        }

        var mediaType = OptionalString(element, "mediaType");
        if (string.IsNullOrEmpty(mediaType))
        {
            throw new ManifestFormatException($"{where}.mediaType is required");
        }

        var digestText = OptionalString(element, "digest");
        if (!Oci.Digest.TryParse(digestText, out var digest))
        {
            throw new ManifestFormatException($"{where}.digest '{Oci.Digest.Truncate(digestText)}' is not a valid digest");
        }

        if (!element.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number
            || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw new ManifestFormatException($"{where}.size must be a non-negative integer");
        }

        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            platform = new Platform
            {
                Architecture = OptionalString(p, "architecture") ?? string.Empty,
                Os = OptionalString(p, "os") ?? string.Empty,
                OsVersion = OptionalString(p, "os.version"),
                Variant = OptionalString(p, "variant"),
            };
        }

        return new Descriptor
        {
            MediaType = mediaType,
            Digest = digest.ToString(),
            Size = size,
            ArtifactType = OptionalString(element, "artifactType"),
            Annotations = ReadAnnotations(element, $"{where}.annotations"),
            Platform = platform,
        };
    }

    private static Dictionary<string, string>? ReadAnnotations(JsonElement element, string where)
    {
        if (!element.TryGetProperty("annotations", out var annotations) || annotations.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (annotations.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestFormatException($"{where} must be an object of strings");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in annotations.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw new ManifestFormatException($"{where}['{property.Name}'] must be a string");
            }

            result[property.Name] = property.Value.GetString()!;
        }

        return result;
    }

    private static string? OptionalString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ManifestFormatException($"'{name}' must be a string");
    }
}
