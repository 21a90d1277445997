using Bulwark.Identity;
using Bulwark.Identity.Authentication;
using Bulwark.Identity.Permissions;
using Bulwark.Identity.Tokens;
using Bulwark.Registry;
using Bulwark.Registry.Http;
using Microsoft.Net.Http.Headers;

namespace Bulwark.Server.Identity;

/// <summary>
/// Enforces permissions on every /v2 operation, failing closed. A Bearer token is judged by its
/// <c>access</c> claim alone (the intersection granted when it was issued); HTTP Basic and anonymous callers
/// by their current permissions. Refusals follow the distribution token spec: no or bad credentials, or a
/// token lacking the scope, get <c>401</c> with a Bearer challenge naming the scope needed (so clients fetch
/// a new token); a Basic caller without the permission gets <c>403 DENIED</c>.
/// </summary>
public sealed class IdentityRegistryAccessPolicy(PermissionResolver permissions, IdentityOptions options) : IRegistryAccessPolicy
{
    private static readonly object CatalogKey = new();

    public async Task AuthorizeAsync(HttpContext context, RegistryRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(route);
        var caller = CallerFeature.Get(context);
        var requirement = RegistryOperationPermissions.For(route.Operation);
        var scope = requirement.RepositoryScoped
            ? $"repository:{route.Repository}:{RegistryOperationPermissions.ScopeActions(requirement.Actions)}"
            : route.Operation == RegistryOperation.Catalog ? $"registry:{TokenAccess.Catalog}:*" : null;

        switch (caller.Problem)
        {
            case CallerProblem.Throttled:
                throw new RegistryException(RegistryErrorCode.TooManyRequests, "too many failed logins; try again later")
                {
                    Headers = new Dictionary<string, string> { [HeaderNames.RetryAfter] = BulwarkAuthenticationHandler.RetryAfterSeconds(caller.RetryAfter) },
                };
            case CallerProblem.InvalidToken:
                throw Unauthorized(context, scope, "invalid_token", "access token is invalid or expired");
            case not CallerProblem.None:
                throw Unauthorized(context, scope, null, "authentication failed");
        }

        if (!requirement.RepositoryScoped)
        {
            if (caller.Principal.IsAnonymous)
            {
                throw Unauthorized(context, scope, null, "authentication required");
            }

            if (route.Operation == RegistryOperation.Catalog)
            {
                if (caller.Token is { } token && !token.Grants(TokenAccess.Catalog))
                {
                    throw Unauthorized(context, scope, "insufficient_scope", "the token does not grant registry:catalog:*");
                }

                context.Items[CatalogKey] = true;
            }

            return;
        }

        var granted = await ActionsOnAsync(caller, route.Repository!, cancellationToken);
        if ((granted & requirement.Actions) == requirement.Actions)
        {
            return;
        }

        if (caller.Token is not null)
        {
            throw Unauthorized(context, scope, "insufficient_scope", "the token does not grant this action on this repository");
        }

        if (caller.Principal.IsAnonymous)
        {
            throw Unauthorized(context, scope, null, "authentication required");
        }

        throw new RegistryException(RegistryErrorCode.Denied, "requested access to the resource is denied");
    }

    /// <summary>
    /// Mount sources need content/read as the request's credentials allow it. Catalog entries are judged by
    /// the principal's current permissions (a catalog token names no repositories): content or metadata read.
    /// </summary>
    public async Task<bool> CanReadAsync(HttpContext context, string repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = CallerFeature.Get(context);
        if (caller.Problem != CallerProblem.None)
        {
            return false;
        }

        if (context.Items.ContainsKey(CatalogKey))
        {
            var set = await permissions.GetAsync(caller.Principal, cancellationToken);
            return (set.ActionsOn(repository) & (RegistryActions.ContentRead | RegistryActions.MetadataRead)) != 0;
        }

        return (await ActionsOnAsync(caller, repository, cancellationToken) & RegistryActions.ContentRead) != 0;
    }

    private async Task<RegistryActions> ActionsOnAsync(Caller caller, string repository, CancellationToken cancellationToken) =>
        caller.Token is { } token
            ? token.ActionsOn(repository)
            : (await permissions.GetAsync(caller.Principal, cancellationToken)).ActionsOn(repository);

    private RegistryException Unauthorized(HttpContext context, string? scope, string? error, string message) =>
        new(RegistryErrorCode.Unauthorized, message)
        {
            Headers = new Dictionary<string, string> { [HeaderNames.WWWAuthenticate] = RegistryChallenge.Bearer(context, options, scope, error) },
        };
}
