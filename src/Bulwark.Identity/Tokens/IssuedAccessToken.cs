namespace Bulwark.Identity.Tokens;

/// <summary>A signed access token and the times a token response reports.</summary>
public sealed record IssuedAccessToken(string Token, DateTimeOffset IssuedAt, TimeSpan ExpiresIn, IReadOnlyList<TokenAccess> Access);
