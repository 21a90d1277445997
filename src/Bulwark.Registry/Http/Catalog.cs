using System.Text.Json.Serialization;

namespace Bulwark.Registry.Http;

/// <summary>Response of <c>GET /v2/_catalog</c>.</summary>
public sealed record Catalog([property: JsonPropertyName("repositories")] IReadOnlyList<string> Repositories);
