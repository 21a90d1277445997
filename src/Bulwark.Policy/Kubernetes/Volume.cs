using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Policy.Kubernetes;

/// <summary>
/// One entry of <c>spec.volumes</c>: its name and the keys of its volume source. A source set to <c>null</c> counts
/// as absent, as the API server's decoding leaves a nil pointer for it.
/// </summary>
public sealed record Volume
{
    public string? Name { get; init; }

    // Extension data cannot be init-only for System.Text.Json; the setter is for the decoder only.
    [JsonExtensionData]
    [JsonInclude]
    public Dictionary<string, JsonElement>? Sources { get; internal set; }

    /// <summary>True when the volume sets source <paramref name="key"/> (for example <c>hostPath</c>) to a non-null value.</summary>
    public bool Has(string key) => Sources is not null && Sources.TryGetValue(key, out var value) && value.ValueKind != JsonValueKind.Null;
}
