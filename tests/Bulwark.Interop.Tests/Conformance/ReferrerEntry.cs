using System.Text.Json;

namespace Bulwark.Interop.Tests.Conformance;

/// <summary>One descriptor of a referrers response, as the checks look at it.</summary>
public sealed record ReferrerEntry(string Digest, string? ArtifactType, IReadOnlyDictionary<string, string> Annotations)
{
    public static ReferrerEntry From(JsonElement descriptor)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (descriptor.TryGetProperty("annotations", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var annotation in map.EnumerateObject())
            {
                annotations[annotation.Name] = annotation.Value.GetString() ?? "";
            }
        }

        return new ReferrerEntry(
            descriptor.GetProperty("digest").GetString() ?? "",
            descriptor.TryGetProperty("artifactType", out var type) ? type.GetString() : null,
            annotations);
    }
}
