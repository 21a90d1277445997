using Bulwark.Identity.Authentication;
using Bulwark.Identity.Principals;

namespace Bulwark.Identity.Tokens;

/// <summary>
/// The Docker token service: for an authenticated (or anonymous) principal and the scopes it asked for,
/// grants the intersection with its permissions, signs an access token, and issues a refresh token when
/// an offline token was requested.
/// </summary>
public sealed class TokenService(PermissionResolver permissions, AccessTokenIssuer issuer, RefreshTokenService refreshTokens)
{
    public async Task<TokenGrant> IssueAsync(PrincipalRef principal, IEnumerable<string?> scopes, bool offline, string clientId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var set = await permissions.GetAsync(principal, cancellationToken);
        var access = AccessGrantor.Grant(principal, set, TokenScope.ParseAll(scopes));
        var token = issuer.Issue(principal, access);
        var refresh = offline && !principal.IsAnonymous ? await refreshTokens.IssueAsync(principal, clientId, cancellationToken) : null;
        return new TokenGrant(token, refresh);
    }
}
