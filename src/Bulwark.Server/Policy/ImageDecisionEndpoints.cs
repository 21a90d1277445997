using Bulwark.Identity.Permissions;
using Bulwark.Oci;
using Bulwark.Server.Configuration;
using Bulwark.Server.Identity;
using Bulwark.Server.Management;
using Bulwark.Server.Scanning;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Policy;

/// <summary>
/// <c>GET /api/v1/images/{repository}/decisions/{digest}</c>: the policy decision about an image, with its reasons and
/// history; needs <c>metadata/read</c> on the repository. The repository name contains slashes, so the path is one
/// catch-all split at its last <c>/decisions/</c>.
/// </summary>
public static class ImageDecisionEndpoints
{
    private const string Marker = "/decisions/";

    public static IEndpointRouteBuilder MapImageDecisions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ManagementApi.Prefix + "/images/{**path}", async Task<Results<Ok<ImageDecisionReport>, ProblemHttpResult>> (string path,
            HttpContext http, ImageDecisionStore decisions, PolicyStore policies, ServerOptions options, CancellationToken ct) =>
        {
            var split = path.LastIndexOf(Marker, StringComparison.Ordinal);
            if (split <= 0 || !RepositoryName.IsValid(path[..split]) || !Digest.TryParse(path[(split + Marker.Length)..], out var digest))
            {
                return TypedResults.Problem(detail: "expected /api/v1/images/{repository}/decisions/{digest}", statusCode: StatusCodes.Status404NotFound);
            }

            var repository = path[..split];
            if ((await RepositoryAccess.GrantedAsync(http, repository, ct) & RegistryActions.MetadataRead) == 0)
            {
                return TypedResults.Problem(detail: "this needs metadata/read on the repository", statusCode: StatusCodes.Status403Forbidden);
            }

            var history = await decisions.GetHistoryAsync(repository, digest.ToString(), 100, ct);
            if (history.Count == 0)
            {
                return TypedResults.Problem(detail: $"no decision about {repository}@{digest} (not an image, or pushed while no policy was stored)",
                    statusCode: StatusCodes.Status404NotFound);
            }

            var held = history[0].Quarantined && options.Policy.Quarantine && await policies.AnyAsync(ct);
            return TypedResults.Ok(new ImageDecisionReport(repository, digest.ToString(), held, ImageDecisionView.From(history[0]),
                [.. history.Select(ImageDecisionView.From)]));
        })
            .RequireAuthorization(BulwarkAuthentication.SignedInPolicy)
            .WithMetadata(new RepositoryAccess(RegistryActions.MetadataRead));
        return endpoints;
    }
}
