namespace Bulwark.Server.Identity;

/// <summary>Names of the authentication scheme and authorization policies.</summary>
public static class BulwarkAuthentication
{
    public const string Scheme = "Bulwark";

    /// <summary>The management API: system admins only.</summary>
    public const string SystemAdminPolicy = "system-admin";

    /// <summary>
    /// Any signed-in caller; the endpoint then checks repository permissions itself (the scan API, whose repository
    /// comes from the query: see <c>Scanning.RepositoryAccessFilter</c>).
    /// </summary>
    public const string SignedInPolicy = "signed-in";
}
