using System.Text.RegularExpressions;

namespace Bulwark.Server.Policy;

/// <summary>What a stored policy may be called: lower-case letters, digits, <c>.</c>, <c>_</c>, <c>-</c>, starting with a letter or digit.</summary>
public static partial class PolicyNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name) => name is not null && Grammar().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
