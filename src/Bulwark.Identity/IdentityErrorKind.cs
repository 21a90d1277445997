namespace Bulwark.Identity;

public enum IdentityErrorKind
{
    NotFound,
    Conflict,
    Invalid,
}
