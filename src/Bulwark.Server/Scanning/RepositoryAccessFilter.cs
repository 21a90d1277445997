using Bulwark.Registry;

namespace Bulwark.Server.Scanning;

/// <summary>
/// Enforces <see cref="RepositoryAccess"/> on the <c>repository</c> query parameter (400 when missing, 403 without the
/// actions), and turns the scan API's refusals into RFC 9457 problem details.
/// </summary>
public sealed class RepositoryAccessFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        try
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<RepositoryAccess>() is { } required)
            {
                var repository = http.Request.Query["repository"].ToString();
                if (repository.Length == 0)
                {
                    throw new ScanApiException(StatusCodes.Status400BadRequest, "the repository query parameter is required");
                }

                var granted = await RepositoryAccess.GrantedAsync(http, repository, http.RequestAborted).ConfigureAwait(false);
                if ((granted & required.Actions) != required.Actions)
                {
                    throw new ScanApiException(StatusCodes.Status403Forbidden, $"this needs {Describe(required)} on the repository");
                }
            }

            return await next(context).ConfigureAwait(false);
        }
        catch (ScanApiException e)
        {
            return TypedResults.Problem(detail: e.Message, statusCode: e.Status);
        }
        catch (RegistryException e)
        {
            return TypedResults.Problem(detail: e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static string Describe(RepositoryAccess access) =>
        string.Join(" and ", Bulwark.Identity.Permissions.RegistryActionNames.Format(access.Actions));
}
