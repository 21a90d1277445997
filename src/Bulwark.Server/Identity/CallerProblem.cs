namespace Bulwark.Server.Identity;

public enum CallerProblem
{
    None,

    /// <summary>Wrong name or secret, or a disabled principal (callers are never told which).</summary>
    InvalidCredentials,

    /// <summary>An access token that is malformed, forged, expired or meant for someone else.</summary>
    InvalidToken,

    /// <summary>Too many failed logins for the account or the client address.</summary>
    Throttled,

    /// <summary>An Authorization header of a scheme other than Basic and Bearer.</summary>
    UnsupportedScheme,
}
