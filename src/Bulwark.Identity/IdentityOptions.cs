using Bulwark.Identity.Passwords;
using Bulwark.Identity.Throttling;

namespace Bulwark.Identity;

/// <summary>Identity and token-service settings.</summary>
public sealed record IdentityOptions
{
    /// <summary>The token <c>iss</c>uer.</summary>
    public string Issuer { get; init; } = "bulwark";

    /// <summary>The Docker token <c>service</c>, which is also every access token's <c>aud</c>ience.</summary>
    public string Service { get; init; } = "bulwark";

    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Tolerated clock difference for <c>nbf</c> and <c>iat</c> (never for <c>exp</c>).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>PEM file holding the ES256 token-signing key; created (mode 0600) when missing.</summary>
    public required string SigningKeyPath { get; init; }

    /// <summary>How long a verified credential and a principal's resolved permissions are reused (bounded by any change made through this server).</summary>
    public TimeSpan CredentialCacheLifetime { get; init; } = TimeSpan.FromSeconds(30);

    public Argon2Parameters PasswordHashing { get; init; } = Argon2Parameters.Default;

    public LoginThrottleOptions Throttle { get; init; } = new();
}
