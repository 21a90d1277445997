using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Oci;

/// <summary>
/// The parts of an image configuration (image-spec config.md) that analysis and policy read. Unknown fields
/// are ignored; <see cref="Parse"/> rejects content that is not a JSON object.
/// </summary>
public sealed record ImageConfig
{
    [JsonPropertyName("architecture")]
    public string? Architecture { get; init; }

    [JsonPropertyName("os")]
    public string? Os { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("config")]
    public ImageExecutionConfig? Config { get; init; }

    [JsonPropertyName("rootfs")]
    public ImageRootFs? RootFs { get; init; }

    [JsonPropertyName("history")]
    public IReadOnlyList<ImageHistoryEntry>? History { get; init; }

    /// <summary>Largest configuration accepted; real ones are a few KiB.</summary>
    public const int MaxLength = 4 * 1024 * 1024;

    /// <exception cref="ManifestFormatException">The content is not a valid image configuration.</exception>
    public static ImageConfig Parse(ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxLength)
        {
            throw new ManifestFormatException($"image config is larger than {MaxLength} bytes");
        }

        try
        {
            return JsonSerializer.Deserialize(content, OciJsonContext.Default.ImageConfig)
                ?? throw new ManifestFormatException("image config must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new ManifestFormatException($"image config is not valid: {e.Message}");
        }
    }

    /// <summary>History entries that produced a layer, in layer order (entries with <c>empty_layer</c> are skipped).</summary>
    public IReadOnlyList<ImageHistoryEntry> LayerHistory() =>
        History is null ? [] : [.. History.Where(h => h.EmptyLayer != true)];
}
