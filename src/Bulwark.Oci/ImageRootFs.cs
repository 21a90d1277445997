using System.Text.Json.Serialization;

namespace Bulwark.Oci;

/// <summary>The <c>rootfs</c> object: the uncompressed digests (diff ids) of the layers, in order.</summary>
public sealed record ImageRootFs
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<string>? DiffIds { get; init; }
}
