using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Bulwark.Oci;

/// <summary>
/// Repository name rules from the distribution spec ("Pulling manifests"): path components of lower-case
/// alphanumerics separated by <c>.</c>, <c>_</c>, <c>__</c> or runs of <c>-</c>, joined by <c>/</c>.
/// </summary>
public static partial class RepositoryName
{
    /// <summary>Longest accepted name. The spec lets registries cap it; 255 matches common clients.</summary>
    public const int MaxLength = 255;

    public static bool IsValid([NotNullWhen(true)] string? name) =>
        name is { Length: > 0 and <= MaxLength } && Grammar().IsMatch(name);

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
