namespace Bulwark.Identity.Tokens;

/// <summary>Why an access token was refused (for tests and logs; callers only ever see "invalid token").</summary>
public enum TokenRejection
{
    None,
    Malformed,
    UnsupportedAlgorithm,
    UnknownKey,
    BadSignature,
    WrongIssuer,
    WrongAudience,
    Expired,
    NotYetValid,
}
