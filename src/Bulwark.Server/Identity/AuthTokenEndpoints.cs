using System.Globalization;
using Bulwark.Audit.Records;
using Bulwark.Identity;
using Bulwark.Identity.Authentication;
using Bulwark.Identity.Principals;
using Bulwark.Identity.Tokens;
using Bulwark.Server.Auditing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace Bulwark.Server.Identity;

/// <summary>
/// <c>/auth/token</c>, the Docker token service. <c>GET</c> (token spec): HTTP Basic credentials or none
/// (anonymous: public patterns only), repeated <c>scope</c>, <c>service</c>, <c>account</c>,
/// <c>offline_token=true</c> for a refresh token. <c>POST</c> (OAuth2 form, distribution oauth spec):
/// <c>grant_type=password</c> (<c>username</c>, <c>password</c>) or <c>refresh_token</c>, with
/// <c>client_id</c>, <c>scope</c>, <c>service</c> and <c>access_type=offline</c>.
/// </summary>
public static class AuthTokenEndpoints
{
    public static IEndpointConventionBuilder MapAuthToken(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(RegistryChallenge.TokenPath).AllowAnonymous().DisableAntiforgery();
        group.MapGet("", GetAsync).WithDisplayName("Docker token service (GET)");
        group.MapPost("", PostAsync).WithDisplayName("Docker token service (OAuth2 POST)");
        return group;
    }

    private static async Task<IResult> GetAsync(HttpContext context, TokenService tokens, IdentityOptions options, RequestAuditor audit,
        CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var caller = CallerFeature.Get(context);
        switch (caller.Problem)
        {
            case CallerProblem.Throttled:
                return Throttled(context, caller.RetryAfter);
            case CallerProblem.None when caller.Token is null:
                break;
            default:
                // Wrong credentials, or a token presented to mint tokens: both need real credentials.
                context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{options.Service}\"";
                return TypedResults.Json(new OAuthError("invalid_grant", "authentication failed"), BulwarkJsonContext.Default.OAuthError,
                    statusCode: StatusCodes.Status401Unauthorized);
        }

        if (query["service"].ToString() is { Length: > 0 } service && service != options.Service)
        {
            return BadRequest("invalid_request", $"this token service only serves '{options.Service}'");
        }

        if (query["account"].ToString() is { Length: > 0 } account && !caller.Principal.IsAnonymous && account != caller.Principal.Name)
        {
            return BadRequest("invalid_request", "account does not match the credentials");
        }

        var offline = string.Equals(query["offline_token"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        var clientId = query["client_id"].ToString();
        var grant = await tokens.IssueAsync(caller.Principal, query["scope"], offline, clientId.Length > 0 ? clientId : "docker", cancellationToken);
        await RecordIssueAsync(context, audit, grant, query["scope"], clientId);
        return Respond(grant, includeToken: true);
    }

    private static async Task<IResult> PostAsync(HttpContext context, TokenService tokens, LoginGate logins, IdentityOptions options,
        LoginAuditor loginAudit, RequestAuditor audit, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
        {
            return BadRequest("invalid_request", "send an application/x-www-form-urlencoded body");
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        var clientId = form["client_id"].ToString();
        if (clientId.Length == 0)
        {
            return BadRequest("invalid_request", "client_id is required");
        }

        if (form["service"].ToString() is { Length: > 0 } service && service != options.Service)
        {
            return BadRequest("invalid_request", $"this token service only serves '{options.Service}'");
        }

        var address = BulwarkAuthenticationHandler.ClientAddress(context);
        LoginOutcome outcome;
        bool offline;
        switch (form["grant_type"].ToString())
        {
            case "password":
                var username = form["username"].ToString();
                var password = form["password"].ToString();
                if (username.Length == 0 || password.Length == 0)
                {
                    return BadRequest("invalid_request", "username and password are required");
                }

                outcome = await logins.LoginAsync(username, password, address, cancellationToken);
                await loginAudit.RecordAsync(context, "password", username, outcome);
                offline = form["access_type"].ToString() == "offline";
                break;
            case "refresh_token":
                var refresh = form["refresh_token"].ToString();
                if (refresh.Length == 0)
                {
                    return BadRequest("invalid_request", "refresh_token is required");
                }

                outcome = await logins.RedeemRefreshTokenAsync(refresh, address, cancellationToken);
                await loginAudit.RecordAsync(context, "refresh_token", null, outcome);
                offline = false;
                break;
            default:
                return BadRequest("unsupported_grant_type", "grant_type must be password or refresh_token");
        }

        if (outcome.Throttled)
        {
            return Throttled(context, outcome.RetryAfter);
        }

        if (outcome.Principal is not PrincipalRef principal)
        {
            return BadRequest("invalid_grant", "the credentials or refresh token are not valid");
        }

        var grant = await tokens.IssueAsync(principal, form["scope"], offline, clientId, cancellationToken);
        await RecordIssueAsync(context, audit, grant, form["scope"], clientId, principal);
        return Respond(grant, includeToken: false);
    }

    /// <summary><c>auth.token.issue</c>: the target is the granted scope (the intersection), the request's scope is in the details.</summary>
    private static Task RecordIssueAsync(HttpContext context, RequestAuditor audit, TokenGrant grant, StringValues requested, string clientId,
        PrincipalRef? principal = null)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["requested"] = string.Join(' ', requested.Where(s => !string.IsNullOrEmpty(s))),
            ["refreshToken"] = grant.RefreshToken is null ? "no" : "issued",
        };
        if (clientId.Length > 0)
        {
            details["clientId"] = clientId;
        }

        return audit.RecordQueuedAsync(context, AuditActions.AuthTokenIssue, GrantedScope(grant), AuditOutcome.Success, null, details,
            principal is null ? null : RequestAuditor.ActorOf(principal));
    }

    private static string GrantedScope(TokenGrant grant) =>
        string.Join(' ', grant.Access.Access.Select(a => $"{a.Type}:{a.Name}:{string.Join(',', a.Actions)}"));

    private static JsonHttpResult<TokenResponse> Respond(TokenGrant grant, bool includeToken)
    {
        var access = grant.Access;
        var scope = GrantedScope(grant);
        return TypedResults.Json(
            new TokenResponse(
                includeToken ? access.Token : null,
                access.Token,
                (int)access.ExpiresIn.TotalSeconds,
                access.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                includeToken ? null : scope,
                grant.RefreshToken),
            BulwarkJsonContext.Default.TokenResponse);
    }

    private static JsonHttpResult<OAuthError> BadRequest(string error, string description) =>
        TypedResults.Json(new OAuthError(error, description), BulwarkJsonContext.Default.OAuthError, statusCode: StatusCodes.Status400BadRequest);

    private static JsonHttpResult<OAuthError> Throttled(HttpContext context, TimeSpan? retryAfter)
    {
        context.Response.Headers.RetryAfter = BulwarkAuthenticationHandler.RetryAfterSeconds(retryAfter);
        return TypedResults.Json(new OAuthError("slow_down", "too many failed logins; try again later"), BulwarkJsonContext.Default.OAuthError,
            statusCode: StatusCodes.Status429TooManyRequests);
    }
}
