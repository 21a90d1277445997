using Bulwark.Identity.Authentication;
using Bulwark.Identity.Tokens;
using Microsoft.AspNetCore.Authorization;

namespace Bulwark.Server.Identity;

/// <summary>
/// The caller is a system admin right now (checked against current role assignments, so a revoked admin is
/// refused at once) and, with a Bearer token, the token was issued for <c>registry:management:*</c>.
/// </summary>
public sealed class SystemAdminRequirement : AuthorizationHandler<SystemAdminRequirement>, IAuthorizationRequirement
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, SystemAdminRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Resource is not HttpContext http)
        {
            return;
        }

        var caller = CallerFeature.Get(http);
        if (caller.Problem != CallerProblem.None || caller.Principal.IsAnonymous
            || caller.Token is { } token && !token.Grants(TokenAccess.Management))
        {
            return;
        }

        var permissions = await http.RequestServices.GetRequiredService<PermissionResolver>().GetAsync(caller.Principal, http.RequestAborted);
        if (permissions.IsSystemAdmin)
        {
            context.Succeed(requirement);
        }
    }
}
