using Bulwark.Identity.Management;
using Bulwark.Identity.Principals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Management;

/// <summary><c>/api/v1/service-principals</c>: automation identities (client id + up to two active secrets).</summary>
public static class ServicePrincipalEndpoints
{
    public static RouteGroupBuilder MapServicePrincipals(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/service-principals");
        group.MapPost("", async Task<Created<CreatedSecret>> (CreateServicePrincipalRequest request, PrincipalDirectory directory, CancellationToken ct) =>
        {
            var created = await directory.CreateServicePrincipalAsync(request.Name, request.Description, request.SecretExpiresAt, ct);
            return TypedResults.Created($"/api/v1/service-principals/{created.Principal.Name}", created);
        });
        PrincipalRoutes.MapCommon(group, PrincipalKind.ServicePrincipal);
        PrincipalRoutes.MapSecrets(group, PrincipalKind.ServicePrincipal);
        return group;
    }
}
