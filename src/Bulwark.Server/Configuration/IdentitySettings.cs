namespace Bulwark.Server.Configuration;

/// <summary>Authentication settings, as configured (see <see cref="Bulwark.Identity.IdentityOptions"/>).</summary>
public sealed class IdentitySettings
{
    /// <summary>The token service name (<c>service</c> and the tokens' <c>aud</c>); also the issuer.</summary>
    public string Service { get; set; } = "bulwark";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    public int MaxFailedLoginsPerAccount { get; set; } = 10;

    public int MaxFailedLoginsPerAddress { get; set; } = 50;

    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Password of the <c>admin</c> user created on first start (from <c>BULWARK_ADMIN_PASSWORD</c>); when
    /// unset a random one is generated and printed once. Ignored once any principal exists.
    /// </summary>
    public string? InitialAdminPassword { get; set; }
}
