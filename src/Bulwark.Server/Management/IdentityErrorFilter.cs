using Bulwark.Identity;

namespace Bulwark.Server.Management;

/// <summary>Turns the directory's refusals into RFC 9457 problem details: 404, 409 or 400 with every problem listed.</summary>
public sealed class IdentityErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (IdentityException e)
        {
            var status = e.Kind switch
            {
                IdentityErrorKind.NotFound => StatusCodes.Status404NotFound,
                IdentityErrorKind.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            var extensions = e.Problems.Count > 0 ? new Dictionary<string, object?> { ["problems"] = e.Problems } : null;
            return TypedResults.Problem(detail: e.Message, statusCode: status, extensions: extensions);
        }
    }
}
