using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Bulwark.Oci;

/// <summary>Tag rules from the distribution spec: <c>[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}</c>.</summary>
public static partial class TagName
{
    public static bool IsValid([NotNullWhen(true)] string? tag) => tag is not null && Grammar().IsMatch(tag);

    [GeneratedRegex("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
