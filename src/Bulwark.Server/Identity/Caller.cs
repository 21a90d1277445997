using Bulwark.Identity.Principals;
using Bulwark.Identity.Tokens;

namespace Bulwark.Server.Identity;

/// <summary>
/// Who sent the request, as the authentication handler found it: the principal (anonymous when no
/// credentials were sent), the verified access token when it came with one, and why credentials that were
/// sent were refused.
/// </summary>
public sealed record Caller(PrincipalRef Principal, AccessTokenClaims? Token, CallerProblem Problem, TimeSpan? RetryAfter = null)
{
    public static Caller Anonymous { get; } = new(PrincipalRef.Anonymous, null, CallerProblem.None);

    public bool UsedBearer => Token is not null || Problem == CallerProblem.InvalidToken;
}
