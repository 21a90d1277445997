using System.Text.Json.Serialization;

namespace Bulwark.Oci;

/// <summary>Docker's health check configuration; <c>Test</c> is e.g. <c>["CMD-SHELL", "curl -f …"]</c> or <c>["NONE"]</c>.</summary>
public sealed record ImageHealthcheck
{
    [JsonPropertyName("Test")]
    public IReadOnlyList<string>? Test { get; init; }

    [JsonPropertyName("Interval")]
    public long? Interval { get; init; }

    [JsonPropertyName("Timeout")]
    public long? Timeout { get; init; }

    [JsonPropertyName("Retries")]
    public int? Retries { get; init; }
}
