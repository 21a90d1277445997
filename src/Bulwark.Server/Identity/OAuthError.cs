using System.Text.Json.Serialization;

namespace Bulwark.Server.Identity;

/// <summary>An RFC 6749 §5.2 error, used by the token endpoint.</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);
