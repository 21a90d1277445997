using System.Text.Json.Serialization;

namespace Bulwark.Registry.Http;

/// <summary>Response of <c>GET /v2/&lt;name&gt;/tags/list</c>.</summary>
public sealed record TagList(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);
