using Bulwark.Identity.Management;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Management;

/// <summary><c>/api/v1/public-repositories</c>: patterns anonymous callers may pull.</summary>
public static class PublicRepositoryEndpoints
{
    public static RouteGroupBuilder MapPublicRepositories(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var group = api.MapGroup("/public-repositories");
        group.MapGet("", async Task<Ok<IReadOnlyList<PublicPatternView>>> (AccessDirectory directory, CancellationToken ct) =>
            TypedResults.Ok(await directory.ListPublicPatternsAsync(ct)));
        group.MapPost("", async Task<Created<PublicPatternView>> (PublicPatternRequest request, AccessDirectory directory, CancellationToken ct) =>
        {
            var pattern = await directory.AddPublicPatternAsync(request.Pattern, ct);
            return TypedResults.Created($"/api/v1/public-repositories/{pattern.Id}", pattern);
        });
        group.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, AccessDirectory directory, CancellationToken ct) =>
        {
            await directory.RemovePublicPatternAsync(id, ct);
            return TypedResults.NoContent();
        });
        return group;
    }
}
