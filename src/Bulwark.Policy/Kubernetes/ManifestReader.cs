using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bulwark.Policy.Kubernetes;

/// <summary>
/// Reads Kubernetes manifests as kubectl accepts them: multi-document YAML (Helm-rendered output with its
/// <c># Source:</c> comments and empty documents included), JSON, and <c>kind: List</c> documents such as
/// <c>kubectl get -o yaml</c> writes, whose items become objects of their own. Every object must have
/// <c>apiVersion</c> and <c>kind</c>.
/// </summary>
public static class ManifestReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a <c>.json</c> file as JSON and anything else as YAML.</summary>
    public static async Task<IReadOnlyList<KubernetesObject>> ReadFileAsync(string path, ManifestLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        string text;
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                // A pipe or device has no length: read up to the limit (and one byte more, to detect going over it).
                var expected = stream.CanSeek ? stream.Length : limits.MaxFileBytes;
                var bytes = new byte[Math.Min(limits.MaxFileBytes + 1, expected + 1)];
                var total = 0;
                int read;
                while (total < bytes.Length && (read = await stream.ReadAsync(bytes.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                if (total > limits.MaxFileBytes)
                {
                    throw new ManifestException(path, null, null, $"larger than {limits.MaxFileBytes} bytes");
                }

                text = StrictUtf8.GetString(bytes, 0, total);
            }
        }
        catch (DecoderFallbackException)
        {
            throw new ManifestException(path, null, null, "not UTF-8 text");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ManifestException(path, null, null, $"cannot be read: {e.Message}");
        }

        return Read(text, path, path.EndsWith(".json", StringComparison.OrdinalIgnoreCase), limits);
    }

    /// <summary>Reads manifests from text; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<KubernetesObject> Read(string text, string source, bool json, ManifestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var documents = json ? ParseJson(text, source, limits) : YamlManifestParser.Parse(text, source, limits);
        var objects = new List<KubernetesObject>();
        foreach (var document in documents)
        {
            if (document.Root is null)
            {
                continue;
            }

            if (document.Root is not JsonObject root)
            {
                throw new ManifestException(source, document.Document, document.Line, "not a Kubernetes object (the document is not a mapping)");
            }

            var top = ToObject(root, document, item: null);
            if (IsList(top))
            {
                var items = root["items"] ?? new JsonArray();
                if (items is not JsonArray list)
                {
                    throw new ManifestException(source, document.Document, document.Line, $"{top.Kind} has no items list");
                }

                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is not JsonObject item)
                    {
                        throw new ManifestException(source, document.Document, document.Line, $"item {i + 1} of the {top.Kind} is not an object");
                    }

                    Add(objects, ToObject(item, document, i), limits);
                }
            }
            else
            {
                Add(objects, top, limits);
            }
        }

        return objects;
    }

    // kubectl get -o yaml writes kind: List; the API's own list kinds (PodList, DeploymentList…) have the same shape.
    private static bool IsList(KubernetesObject o) => o.Kind == "List" || (o.Kind.EndsWith("List", StringComparison.Ordinal) && o.Json.ContainsKey("items"));

    private static void Add(List<KubernetesObject> objects, KubernetesObject o, ManifestLimits limits)
    {
        if (objects.Count >= limits.MaxObjects)
        {
            throw new ManifestException(o.Source, o.Document, o.Line, $"more than {limits.MaxObjects} objects in one file");
        }

        objects.Add(o);
    }

    private static KubernetesObject ToObject(JsonObject json, ManifestDocument document, int? item)
    {
        var where = item is { } i ? $"item {i + 1}: " : "";
        string Required(string field) => json[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new ManifestException(document.Source, document.Document, document.Line, $"{where}not a Kubernetes object (no {field})");

        var apiVersion = Required("apiVersion");
        var kind = Required("kind");
        var metadata = Deserialize(json["metadata"], KubernetesJsonContext.Default.ObjectMeta, "metadata", document, where) ?? new ObjectMeta();
        return new KubernetesObject(document.Source, document.Document, item, document.Line, apiVersion, kind, metadata, json);
    }

    /// <summary>Decodes part of an object into a typed model; a field of the wrong type is a <see cref="ManifestException"/> naming it.</summary>
    internal static T? Deserialize<T>(JsonNode? node, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string path, ManifestDocument document, string where)
    {
        try
        {
            return node is null ? default : node.Deserialize(type);
        }
        catch (JsonException e)
        {
            var field = path + (e.Path is { Length: > 1 } p ? p[1..] : "");
            throw new ManifestException(document.Source, document.Document, document.Line, $"{where}{field}: wrong type ({FirstSentence(e.Message)})");
        }
        catch (InvalidOperationException e)
        {
            throw new ManifestException(document.Source, document.Document, document.Line, $"{where}{path}: {FirstSentence(e.Message)}");
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }

    private static List<ManifestDocument> ParseJson(string text, string source, ManifestLimits limits)
    {
        try
        {
            var root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = limits.MaxDepth });
            return [new ManifestDocument(source, 1, 1, root)];
        }
        catch (JsonException e)
        {
            throw new ManifestException(source, 1, e.LineNumber + 1, $"not valid JSON: {FirstSentence(e.Message)}");
        }
    }
}
