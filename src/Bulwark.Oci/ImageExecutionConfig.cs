using System.Text.Json.Serialization;

namespace Bulwark.Oci;

/// <summary>The <c>config</c> object of an image configuration: how a container runs by default.</summary>
public sealed record ImageExecutionConfig
{
    [JsonPropertyName("User")]
    public string? User { get; init; }

    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Keys such as <c>80/tcp</c>; the values are empty objects.</summary>
    [JsonPropertyName("ExposedPorts")]
    public IReadOnlyDictionary<string, JsonElementPlaceholder>? ExposedPorts { get; init; }

    /// <summary>Docker's extension; absent from OCI-built images.</summary>
    [JsonPropertyName("Healthcheck")]
    public ImageHealthcheck? Healthcheck { get; init; }

    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; init; }
}
