using Bulwark.Identity.Management;
using Bulwark.Identity.Permissions;
using Bulwark.Server.Auditing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Management;

/// <summary><c>/api/v1/roles</c> (the built-in roles) and <c>/api/v1/role-assignments</c>.</summary>
public static class RoleAssignmentEndpoints
{
    private static readonly RoleDescription[] Roles =
    [
        new(BuiltInRoles.Reader, RegistryActionNames.Format(BuiltInRoles.ActionsOf(BuiltInRoles.Reader)!.Value), false,
            "pull images, list tags and referrers"),
        new(BuiltInRoles.Pusher, RegistryActionNames.Format(BuiltInRoles.ActionsOf(BuiltInRoles.Pusher)!.Value), false,
            "reader, and push blobs, manifests and tags"),
        new(BuiltInRoles.Maintainer, RegistryActionNames.Format(BuiltInRoles.ActionsOf(BuiltInRoles.Maintainer)!.Value), false,
            "pusher, and delete content and change repository metadata"),
        new(BuiltInRoles.Admin, RegistryActionNames.Format(RegistryActions.All), false,
            "every repository action on its pattern; without a pattern, system admin (manages identities and access)"),
        new(BuiltInRoles.QuarantineReader, RegistryActionNames.Format(BuiltInRoles.ActionsOf(BuiltInRoles.QuarantineReader)!.Value), false,
            "reader, and pull images still quarantined (not yet scanned, or failing their policy)"),
        new(BuiltInRoles.Signer, [], true, "reserved: attach signatures"),
    ];

    public static RouteGroupBuilder MapRoleAssignments(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/roles", () => TypedResults.Ok<IReadOnlyList<RoleDescription>>(Roles));
        var group = api.MapGroup("/role-assignments");
        group.MapGet("", async Task<Ok<Page<RoleAssignmentView>>> (string? principal, int? limit, string? cursor, AccessDirectory directory,
            CancellationToken ct) => TypedResults.Ok(await directory.ListAssignmentsAsync(principal, limit, cursor, ct)));
        group.MapPost("", async Task<Created<RoleAssignmentView>> (RoleAssignmentRequest request, AccessDirectory directory, HttpContext context,
            CancellationToken ct) =>
        {
            AuditDetails.Add(context, "principal", request.Principal);
            AuditDetails.Add(context, "role", request.Role);
            AuditDetails.Add(context, "scopeMap", request.ScopeMap);
            AuditDetails.Add(context, "pattern", request.Pattern);
            var assignment = await directory.AssignAsync(request.Principal, request.Role, request.ScopeMap, request.Pattern, ct);
            return TypedResults.Created($"/api/v1/role-assignments/{assignment.Id}", assignment);
        });
        group.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, AccessDirectory directory, CancellationToken ct) =>
        {
            await directory.RemoveAssignmentAsync(id, ct);
            return TypedResults.NoContent();
        });
        return group;
    }
}
