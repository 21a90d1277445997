using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Server.Scanning;

/// <summary>Reads past a JSON value without materialising it and yields <paramref name="empty"/>; for read-only views of stored documents.</summary>
internal sealed class SkippedValueConverter<T>(T empty) : JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // The serializer buffers a custom converter's whole value first, so TrySkip succeeds even mid-stream (Skip would throw).
        return reader.TrySkip() ? empty : throw new JsonException("a skipped value is not complete");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        throw new NotSupportedException("a skipped value is never written");
}
