using System.Text.Json.Serialization;

namespace Bulwark.Server.Identity;

/// <summary>The token endpoint's answer (distribution token spec; <c>token</c> and <c>access_token</c> carry the same JWT).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("token")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Token,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("issued_at")] string IssuedAt,
    [property: JsonPropertyName("scope")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope,
    [property: JsonPropertyName("refresh_token")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken);
