using Bulwark.Audit.Records;
using Microsoft.AspNetCore.WebUtilities;

namespace Bulwark.Server.Auditing;

/// <summary>
/// Records every change attempted through the management API, after the response is decided: success for 2xx,
/// <c>denied</c> for 403 (an authenticated caller without the right), <c>failure</c> otherwise with the status.
/// A 401 is not recorded here: its credentials were already recorded as a failed <c>auth.login</c>. Runs before
/// authentication so that it also sees the refusals of the authorization middleware.
/// </summary>
public sealed class ManagementAuditMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, RequestAuditor auditor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(auditor);
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var action = ActionFor(context.Request.Method, pattern);
        if (action is null)
        {
            await next(context);
            return;
        }

        await next(context);
        var status = context.Response.StatusCode;
        if (status == StatusCodes.Status401Unauthorized)
        {
            return;
        }

        var outcome = status switch
        {
            >= 200 and < 300 => AuditOutcome.Success,
            StatusCodes.Status403Forbidden => AuditOutcome.Denied,
            _ => AuditOutcome.Failure,
        };
        await auditor.RecordAsync(context, action, Target(context), outcome,
            outcome == AuditOutcome.Success ? null : $"{status} {ReasonPhrases.GetReasonPhrase(status)}", AuditDetails.Get(context));
    }

    private static string? ActionFor(string method, string? pattern) =>
        ManagementAuditActions.IsChange(method) ? ManagementAuditActions.For(method, pattern) : null;

    /// <summary>The resource, relative to <c>/api/v1</c>: the created one's location for a create (<c>users/alice</c>), else the request path.</summary>
    private static string Target(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var location = context.Response.Headers.Location.ToString();
        if (location.StartsWith(Management.ManagementApi.Prefix + "/", StringComparison.Ordinal))
        {
            path = location;
        }

        return path.StartsWith(Management.ManagementApi.Prefix + "/", StringComparison.Ordinal)
            ? path[(Management.ManagementApi.Prefix.Length + 1)..]
            : path;
    }
}
