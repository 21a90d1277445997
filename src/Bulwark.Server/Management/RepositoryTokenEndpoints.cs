using Bulwark.Identity.Management;
using Bulwark.Identity.Principals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Management;

/// <summary><c>/api/v1/tokens</c>: repository-scoped tokens bound to a scope map.</summary>
public static class RepositoryTokenEndpoints
{
    public static RouteGroupBuilder MapRepositoryTokens(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/tokens");
        group.MapPost("", async Task<Created<CreatedSecret>> (CreateRepositoryTokenRequest request, PrincipalDirectory directory, CancellationToken ct) =>
        {
            var created = await directory.CreateRepositoryTokenAsync(request.Name, request.ScopeMap, request.Description, request.SecretExpiresAt, ct);
            return TypedResults.Created($"/api/v1/tokens/{created.Principal.Name}", created);
        });
        PrincipalRoutes.MapCommon(group, PrincipalKind.RepositoryToken);
        PrincipalRoutes.MapSecrets(group, PrincipalKind.RepositoryToken);
        return group;
    }
}
