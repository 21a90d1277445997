using Bulwark.Server.Identity;
using Bulwark.Server.Policy;

namespace Bulwark.Server.Management;

/// <summary>The management API under <c>/api/v1</c>: system admins only, ProblemDetails errors, cursor-paginated lists.</summary>
public static class ManagementApi
{
    public const string Prefix = "/api/v1";

    public static RouteGroupBuilder MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix)
            .RequireAuthorization(BulwarkAuthentication.SystemAdminPolicy)
            .AddEndpointFilter<IdentityErrorFilter>();
        api.MapUsers();
        api.MapServicePrincipals();
        api.MapRepositoryTokens();
        api.MapScopeMaps();
        api.MapRoleAssignments();
        api.MapPublicRepositories();
        api.MapAudit();
        api.MapPolicies();
        return api;
    }
}
