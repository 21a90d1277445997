using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Bulwark.Identity;
using Bulwark.Identity.Authentication;
using Bulwark.Identity.Principals;
using Bulwark.Identity.Tokens;
using Bulwark.Server.Auditing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Identity;

/// <summary>
/// Authenticates HTTP Basic (a user's password, or a service principal's or token's secret, through the
/// throttled <see cref="LoginGate"/>) and Bearer access tokens. No header means anonymous. The outcome is
/// stored as a <see cref="Caller"/> for the registry's access policy and the token endpoint; the management
/// API's challenges are answered here with ProblemDetails.
/// </summary>
public sealed class BulwarkAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    LoginGate logins,
    AccessTokenValidator tokens,
    IdentityOptions identity,
    IProblemDetailsService problems,
    LoginAuditor audit) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            CallerFeature.Set(Context, Caller.Anonymous);
            return AuthenticateResult.NoResult();
        }

        if (!AuthenticationHeaderValue.TryParse(header, out var value) || value.Parameter is null)
        {
            return Refuse(CallerProblem.UnsupportedScheme);
        }

        if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            if (!tokens.TryValidate(value.Parameter, out var claims, out var rejection))
            {
                // An expired token is routine (clients fetch a new one on the 401); a forged or foreign one is not.
                if (rejection != TokenRejection.Expired)
                {
                    await audit.RecordTokenRejectedAsync(Context, rejection);
                }

                return Refuse(CallerProblem.InvalidToken);
            }

            return Accept(new Caller(claims.Principal, claims, CallerProblem.None), "bearer");
        }

        if (!value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || !TryDecodeBasic(value.Parameter, out var name, out var secret))
        {
            return Refuse(CallerProblem.UnsupportedScheme);
        }

        var outcome = await logins.LoginAsync(name, secret, ClientAddress(Context), Context.RequestAborted);
        await audit.RecordAsync(Context, "basic", name, outcome);
        if (outcome.Throttled)
        {
            return Refuse(CallerProblem.Throttled, outcome.RetryAfter);
        }

        return outcome.Principal is { } principal
            ? Accept(new Caller(principal, null, CallerProblem.None), "basic")
            : Refuse(CallerProblem.InvalidCredentials);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var caller = CallerFeature.Get(Context);
        if (caller.Problem == CallerProblem.Throttled)
        {
            Response.Headers.RetryAfter = RetryAfterSeconds(caller.RetryAfter);
            await WriteProblemAsync(StatusCodes.Status429TooManyRequests, "Too many failed logins", "try again later");
            return;
        }

        Response.Headers.Append("WWW-Authenticate", $"Basic realm=\"{identity.Service}\"");
        Response.Headers.Append("WWW-Authenticate", RegistryChallenge.Bearer(Context, identity, $"registry:{TokenAccess.Management}:*", null));
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Authentication required",
            "send HTTP Basic credentials or a Bearer token issued for registry:management:*");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "only system admins may use the management API");

    /// <summary>The client's address for throttling: the connection's remote address (no proxy headers are trusted).</summary>
    public static string? ClientAddress(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString();
    }

    public static string RetryAfterSeconds(TimeSpan? wait) =>
        Math.Max(1, (int)Math.Ceiling((wait ?? TimeSpan.FromSeconds(1)).TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static bool TryDecodeBasic(string parameter, out string name, out string secret)
    {
        name = secret = "";
        var buffer = new byte[parameter.Length];
        if (!Convert.TryFromBase64String(parameter, buffer, out var written))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, written);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        name = text[..colon];
        secret = text[(colon + 1)..];
        return true;
    }

    private AuthenticateResult Accept(Caller caller, string method)
    {
        CallerFeature.Set(Context, caller);
        var principal = caller.Principal;
        var identityClaims = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, principal.Id.ToString("N")),
                new Claim(ClaimTypes.Name, principal.Name),
                new Claim("kind", PrincipalKinds.Format(principal.Kind)),
                new Claim(ClaimTypes.AuthenticationMethod, method),
            ],
            BulwarkAuthentication.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identityClaims), BulwarkAuthentication.Scheme));
    }

    private AuthenticateResult Refuse(CallerProblem problem, TimeSpan? retryAfter = null)
    {
        CallerFeature.Set(Context, new Caller(PrincipalRef.Anonymous, null, problem, retryAfter));
        return AuthenticateResult.Fail(problem.ToString());
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
