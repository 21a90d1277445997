using Bulwark.Identity.Authentication;
using Bulwark.Identity.Permissions;
using Bulwark.Server.Identity;

namespace Bulwark.Server.Scanning;

/// <summary>
/// What a scan endpoint needs on the repository named by its <c>repository</c> query parameter (endpoint metadata,
/// enforced by <see cref="RepositoryAccessFilter"/> after the signed-in policy). A Bearer token is judged by its
/// access claim, HTTP Basic by the principal's current permissions; system admins have every action.
/// </summary>
public sealed record RepositoryAccess(RegistryActions Actions)
{
    /// <summary>The actions the caller has on <paramref name="repository"/>.</summary>
    public static async ValueTask<RegistryActions> GrantedAsync(HttpContext context, string repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = CallerFeature.Get(context);
        if (caller.Problem != CallerProblem.None || caller.Principal.IsAnonymous)
        {
            return RegistryActions.None;
        }

        if (caller.Token is { } token)
        {
            return token.ActionsOn(repository);
        }

        var permissions = await context.RequestServices.GetRequiredService<PermissionResolver>().GetAsync(caller.Principal, cancellationToken)
            .ConfigureAwait(false);
        return permissions.ActionsOn(repository);
    }
}
