using Bulwark.Identity;
using Bulwark.Identity.Management;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Management;

/// <summary><c>/api/v1/scope-maps</c>: custom sets of (pattern, actions) rules.</summary>
public static class ScopeMapEndpoints
{
    public static RouteGroupBuilder MapScopeMaps(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/scope-maps");
        group.MapGet("", async Task<Ok<Page<ScopeMapView>>> (int? limit, string? cursor, AccessDirectory directory, CancellationToken ct) =>
            TypedResults.Ok(await directory.ListScopeMapsAsync(limit, cursor, ct)));
        group.MapPost("", async Task<Created<ScopeMapView>> (ScopeMapRequest request, AccessDirectory directory, CancellationToken ct) =>
        {
            var map = await directory.CreateScopeMapAsync(
                request.Name ?? throw new IdentityException("name is required"), request.Description, request.Rules ?? [], ct);
            return TypedResults.Created($"/api/v1/scope-maps/{map.Name}", map);
        });
        group.MapGet("/{name}", async Task<Ok<ScopeMapView>> (string name, AccessDirectory directory, CancellationToken ct) =>
            TypedResults.Ok(await directory.GetScopeMapAsync(name, ct)));
        group.MapPatch("/{name}", async Task<Ok<ScopeMapView>> (string name, ScopeMapRequest request, AccessDirectory directory, CancellationToken ct) =>
            TypedResults.Ok(await directory.UpdateScopeMapAsync(name, request.Description, request.Rules, ct)));
        group.MapDelete("/{name}", async Task<NoContent> (string name, AccessDirectory directory, CancellationToken ct) =>
        {
            await directory.DeleteScopeMapAsync(name, ct);
            return TypedResults.NoContent();
        });
        return group;
    }
}
