using Bulwark.Audit.Records;
using Bulwark.Server.Management;

namespace Bulwark.Server.Auditing;

/// <summary>
/// Which audit action each changing management endpoint records, by HTTP method and route pattern. Every
/// POST, PUT, PATCH and DELETE under <c>/api/v1</c> must have one (a test enumerates the endpoints).
/// </summary>
public static class ManagementAuditActions
{
    private static readonly Dictionary<(string Method, string Pattern), string> Actions = Build();

    /// <summary>The action for a request to <paramref name="pattern"/> (the route template), or null for a read.</summary>
    public static string? For(string method, string? pattern) =>
        pattern is not null && Actions.TryGetValue((method.ToUpperInvariant(), pattern.TrimEnd('/')), out var action) ? action : null;

    public static bool IsChange(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static Dictionary<(string, string), string> Build()
    {
        var p = ManagementApi.Prefix;
        var actions = new Dictionary<(string, string), string>();
        void Principal(string collection, string create, string update, string delete)
        {
            actions[("POST", $"{p}/{collection}")] = create;
            actions[("PATCH", $"{p}/{collection}/{{name}}")] = update;
            actions[("DELETE", $"{p}/{collection}/{{name}}")] = delete;
            actions[("DELETE", $"{p}/{collection}/{{name}}/refresh-tokens")] = AuditActions.AuthTokenRevoke;
            actions[("DELETE", $"{p}/{collection}/{{name}}/refresh-tokens/{{id:guid}}")] = AuditActions.AuthTokenRevoke;
            actions[("POST", $"{p}/{collection}/{{name}}/secrets")] = AuditActions.AdminSecretCreate;
            actions[("DELETE", $"{p}/{collection}/{{name}}/secrets/{{id:guid}}")] = AuditActions.AdminSecretDelete;
        }

        Principal("users", AuditActions.AdminUserCreate, AuditActions.AdminUserUpdate, AuditActions.AdminUserDelete);
        Principal("service-principals", AuditActions.AdminPrincipalCreate, AuditActions.AdminPrincipalUpdate, AuditActions.AdminPrincipalDelete);
        Principal("tokens", AuditActions.AdminTokenCreate, AuditActions.AdminTokenUpdate, AuditActions.AdminTokenDelete);
        actions[("POST", $"{p}/scope-maps")] = AuditActions.AdminScopeMapCreate;
        actions[("PATCH", $"{p}/scope-maps/{{name}}")] = AuditActions.AdminScopeMapUpdate;
        actions[("DELETE", $"{p}/scope-maps/{{name}}")] = AuditActions.AdminScopeMapDelete;
        actions[("POST", $"{p}/role-assignments")] = AuditActions.AdminRoleAssign;
        actions[("DELETE", $"{p}/role-assignments/{{id:guid}}")] = AuditActions.AdminRoleRevoke;
        actions[("POST", $"{p}/public-repositories")] = AuditActions.AdminPublicPatternCreate;
        actions[("DELETE", $"{p}/public-repositories/{{id:guid}}")] = AuditActions.AdminPublicPatternDelete;
        actions[("POST", $"{p}/scans/image/rescan")] = AuditActions.ScanRescan;
        actions[("POST", $"{p}/scans/image/sbom/attach")] = AuditActions.ScanSbomAttach;
        actions[("POST", $"{p}/advisories/update")] = AuditActions.AdvisoriesUpdate;
        actions[("PUT", $"{p}/policies/{{name}}")] = AuditActions.PolicyUpdate;
        return actions;
    }
}
