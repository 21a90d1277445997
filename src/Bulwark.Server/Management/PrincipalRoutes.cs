using Bulwark.Identity.Management;
using Bulwark.Identity.Principals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Management;

/// <summary>The routes users, service principals and repository tokens share: list, get, update, delete, refresh tokens.</summary>
internal static class PrincipalRoutes
{
    public static void MapCommon(RouteGroupBuilder group, PrincipalKind kind)
    {
        group.MapGet("", (int? limit, string? cursor, PrincipalDirectory directory, CancellationToken ct) =>
            ListAsync(kind, limit, cursor, directory, ct));
        group.MapGet("/{name}", async Task<Ok<PrincipalView>> (string name, PrincipalDirectory directory, CancellationToken ct) =>
            TypedResults.Ok(await directory.GetAsync(kind, name, ct)));
        group.MapPatch("/{name}", async Task<Ok<PrincipalView>> (string name, UpdatePrincipalRequest request, PrincipalDirectory directory,
            CancellationToken ct) =>
            TypedResults.Ok(await directory.UpdateAsync(kind, name,
                new PrincipalUpdate(request.Description, request.Disabled, request.Password, request.ScopeMap), ct)));
        group.MapDelete("/{name}", async Task<NoContent> (string name, PrincipalDirectory directory, CancellationToken ct) =>
        {
            await directory.DeleteAsync(kind, name, ct);
            return TypedResults.NoContent();
        });
        group.MapGet("/{name}/refresh-tokens", async Task<Ok<IReadOnlyList<RefreshTokenView>>> (string name, PrincipalDirectory directory,
            CancellationToken ct) => TypedResults.Ok(await directory.ListRefreshTokensAsync(kind, name, ct)));
        group.MapDelete("/{name}/refresh-tokens", async Task<NoContent> (string name, PrincipalDirectory directory, CancellationToken ct) =>
        {
            await directory.RevokeRefreshTokensAsync(kind, name, null, ct);
            return TypedResults.NoContent();
        });
        group.MapDelete("/{name}/refresh-tokens/{id:guid}", async Task<NoContent> (string name, Guid id, PrincipalDirectory directory,
            CancellationToken ct) =>
        {
            await directory.RevokeRefreshTokensAsync(kind, name, id, ct);
            return TypedResults.NoContent();
        });
    }

    /// <summary>Secrets of service principals and repository tokens: add (returned once) and remove.</summary>
    public static void MapSecrets(RouteGroupBuilder group, PrincipalKind kind)
    {
        group.MapPost("/{name}/secrets", async Task<Created<CreatedSecret>> (string name, CreateSecretRequest? request, PrincipalDirectory directory,
            HttpContext context, CancellationToken ct) =>
        {
            var created = await directory.AddSecretAsync(kind, name, request?.ExpiresAt, ct);
            return TypedResults.Created($"{context.Request.Path}/{created.Metadata!.Id}", created);
        });
        group.MapDelete("/{name}/secrets/{id:guid}", async Task<NoContent> (string name, Guid id, PrincipalDirectory directory, CancellationToken ct) =>
        {
            await directory.RemoveSecretAsync(kind, name, id, ct);
            return TypedResults.NoContent();
        });
    }

    private static async Task<Ok<Page<PrincipalView>>> ListAsync(PrincipalKind kind, int? limit, string? cursor, PrincipalDirectory directory,
        CancellationToken ct) => TypedResults.Ok(await directory.ListAsync(kind, limit, cursor, ct));
}
