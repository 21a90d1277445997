namespace Bulwark.Server.Identity;

/// <summary>Names of the authentication scheme and authorization policies.</summary>
public static class BulwarkAuthentication
{
    public const string Scheme = "Bulwark";

    /// <summary>The management API: system admins only.</summary>
    public const string SystemAdminPolicy = "system-admin";
}
