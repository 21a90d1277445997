using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Bulwark.Policy.Kubernetes;

/// <summary>
/// Turns a multi-document YAML stream into one JSON tree per document, the way kubectl and the API server read
/// manifests (sigs.k8s.io/yaml: YAML 1.1 scalars resolved to JSON types, keys as strings, aliases expanded). The
/// tree is built from parser events with an explicit stack, so nesting depth, node count (aliases included, which
/// defeats "billion laughs" documents) and document count are bounded before anything large is allocated.
/// </summary>
internal sealed partial class YamlManifestParser
{
    private static readonly JsonValue NullMarker = JsonValue.Create("\0null");

    private readonly string source;
    private readonly ManifestLimits limits;
    private readonly Dictionary<string, JsonNode?> anchors = new(StringComparer.Ordinal);
    private int nodes;
    private int document;

    private YamlManifestParser(string source, ManifestLimits limits)
    {
        this.source = source;
        this.limits = limits;
    }

    /// <summary>Every document of <paramref name="text"/>; an empty document (Helm's <c>---</c> with only comments) has a null root.</summary>
    public static IReadOnlyList<ManifestDocument> Parse(string text, string source, ManifestLimits limits) =>
        new YamlManifestParser(source, limits).ParseAll(text);

    private List<ManifestDocument> ParseAll(string text)
    {
        var documents = new List<ManifestDocument>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.Accept<StreamEnd>(out _))
            {
                document++;
                if (document > limits.MaxDocuments)
                {
                    throw Error(null, $"more than {limits.MaxDocuments} YAML documents in one file");
                }

                var start = parser.Consume<DocumentStart>();
                anchors.Clear();
                var line = parser.Current?.Start.Line ?? start.Start.Line;
                var root = ReadNode(parser);
                parser.Consume<DocumentEnd>();
                documents.Add(new ManifestDocument(source, document, line, root));
            }
        }
        catch (YamlException e)
        {
            throw Error(e.Start.Line, $"not valid YAML: {e.Message}");
        }

        return documents;
    }

    private JsonNode? ReadNode(IParser parser)
    {
        // Each frame is an open sequence or mapping; a mapping frame holds the key waiting for its value.
        var stack = new Stack<(JsonNode Container, string? Key)>();
        JsonNode? root = null;
        var done = false;

        void Add(JsonNode? value, long line)
        {
            if (stack.Count == 0)
            {
                root = value;
                done = true;
                return;
            }

            var (container, key) = stack.Pop();
            if (container is JsonArray array)
            {
                array.Add(value);
                stack.Push((array, null));
                return;
            }

            var mapping = (JsonObject)container;
            if (key is null)
            {
                throw Error(line, "a mapping key must be a scalar");
            }

            if (!mapping.TryAdd(key, value))
            {
                throw Error(line, $"duplicate mapping key \"{key}\"");
            }

            stack.Push((mapping, null));
        }

        bool ExpectingKey() => stack.Count > 0 && stack.Peek().Container is JsonObject && stack.Peek().Key is null;

        while (!done)
        {
            var current = parser.Consume<ParsingEvent>();
            var line = current.Start.Line;
            switch (current)
            {
                case Scalar scalar when ExpectingKey():
                    var (mapping, _) = stack.Pop();
                    stack.Push((mapping, scalar.Value));
                    break;
                case Scalar scalar:
                    Count(line);
                    var value = Resolve(scalar);
                    Remember(scalar.Anchor, value);
                    Add(value, line);
                    break;
                case AnchorAlias alias:
                    if (ExpectingKey())
                    {
                        throw Error(line, "an alias cannot be a mapping key");
                    }

                    if (!anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        throw Error(line, $"unknown alias *{alias.Value.Value}");
                    }

                    Add(Expand(target, line), line);
                    break;
                case SequenceStart or MappingStart:
                    if (ExpectingKey())
                    {
                        throw Error(line, "a mapping key must be a scalar");
                    }

                    if (stack.Count >= limits.MaxDepth)
                    {
                        throw Error(line, $"nesting deeper than {limits.MaxDepth} levels");
                    }

                    Count(line);
                    JsonNode container = current is SequenceStart ? new JsonArray() : new JsonObject();
                    Remember(((NodeEvent)current).Anchor, container);
                    stack.Push((container, null));
                    break;
                case SequenceEnd or MappingEnd:
                    var (closed, pending) = stack.Pop();
                    if (pending is not null)
                    {
                        throw Error(line, $"mapping key \"{pending}\" has no value");
                    }

                    Add(closed, line);
                    break;
                default:
                    throw Error(line, $"unexpected YAML event {current.GetType().Name}");
            }
        }

        return root;
    }

    private void Remember(AnchorName anchor, JsonNode? node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node ?? NullMarker;
        }
    }

    // A JSON node has one parent, so an alias becomes a copy; every copied node counts against the node limit.
    private JsonNode? Expand(JsonNode? target, long line)
    {
        if (target is null || ReferenceEquals(target, NullMarker))
        {
            Count(line);
            return null;
        }

        var size = Size(target);
        if (nodes + (long)size > limits.MaxNodes)
        {
            throw Error(line, $"more than {limits.MaxNodes} YAML nodes in one file (aliases expanded)");
        }

        nodes += size;
        return target.DeepClone();
    }

    private static int Size(JsonNode? node)
    {
        var size = 0;
        var pending = new Stack<JsonNode?>();
        pending.Push(node);
        while (pending.TryPop(out var next))
        {
            size++;
            switch (next)
            {
                case JsonObject o:
                    foreach (var child in o)
                    {
                        pending.Push(child.Value);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        pending.Push(child);
                    }

                    break;
            }
        }

        return size;
    }

    private void Count(long line)
    {
        if (++nodes > limits.MaxNodes)
        {
            throw Error(line, $"more than {limits.MaxNodes} YAML nodes in one file");
        }
    }

    // YAML 1.1 plain scalars as go-yaml v2 resolves them (sigs.k8s.io/yaml); quoted and block scalars are strings.
    private static JsonValue? Resolve(Scalar scalar)
    {
        var text = scalar.Value;
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || (tag.Length == 0 && scalar.Style != ScalarStyle.Plain) || (tag.Length > 0 && tag != "?" && !tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal)))
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "y" or "Y" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "n" or "N" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
        }

        var digits = text.Replace("_", "", StringComparison.Ordinal);
        if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) && digits.Length > 0 && char.IsAsciiDigit(digits[^1]))
        {
            // A leading 0 is octal in YAML 1.1.
            var unsigned = digits.TrimStart('+', '-');
            if (unsigned.Length > 1 && unsigned[0] == '0' && unsigned.All(c => c is >= '0' and <= '7'))
            {
                var octal = Convert.ToInt64(unsigned, 8);
                return JsonValue.Create(digits[0] == '-' ? -octal : octal);
            }

            return JsonValue.Create(integer);
        }

        if (digits.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex FloatPattern();

    private ManifestException Error(long? line, string problem) => new(source, document == 0 ? null : document, line, problem);
}
