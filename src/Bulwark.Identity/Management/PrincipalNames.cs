using System.Text.RegularExpressions;

namespace Bulwark.Identity.Management;

/// <summary>
/// Principal names: lower-case letters, digits, <c>.</c>, <c>_</c>, <c>-</c> and <c>@</c>, starting with a
/// letter or digit, at most 128 characters. No colon, so a name is always unambiguous in HTTP Basic.
/// </summary>
public static partial class PrincipalNames
{
    public static bool IsValid(string? name) => name is not null && Grammar().IsMatch(name);

    public static void Validate(string? name, string what)
    {
        if (!IsValid(name))
        {
            throw new IdentityException(IdentityErrorKind.Invalid,
                $"{what} must be 1-128 lower-case letters, digits, '.', '_', '-' or '@', starting with a letter or digit");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._@-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
