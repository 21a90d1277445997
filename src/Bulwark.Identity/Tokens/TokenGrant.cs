namespace Bulwark.Identity.Tokens;

/// <summary>What the token endpoint returns: the access token, its lifetime and grants, and a refresh token when one was asked for.</summary>
public sealed record TokenGrant(IssuedAccessToken Access, string? RefreshToken);
