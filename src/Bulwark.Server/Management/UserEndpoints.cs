using Bulwark.Identity.Management;
using Bulwark.Identity.Principals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Management;

/// <summary><c>/api/v1/users</c>: people with passwords.</summary>
public static class UserEndpoints
{
    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/users");
        group.MapPost("", async Task<Created<CreatedSecret>> (CreateUserRequest request, PrincipalDirectory directory, CancellationToken ct) =>
        {
            var created = await directory.CreateUserAsync(request.Name, request.Password, request.Description, ct);
            return TypedResults.Created($"/api/v1/users/{created.Principal.Name}", created);
        });
        PrincipalRoutes.MapCommon(group, PrincipalKind.User);
        return group;
    }
}
