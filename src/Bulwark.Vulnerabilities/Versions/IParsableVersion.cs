using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>A parsed, immutable version of one ecosystem, ordered by that ecosystem's rules.</summary>
public interface IParsableVersion<TSelf> : IComparable<TSelf>
    where TSelf : class, IParsableVersion<TSelf>
{
    /// <summary>The ecosystem name used in failure messages.</summary>
    static abstract string EcosystemName { get; }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="failure"/> says which rule it breaks.</summary>
    static abstract bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out TSelf? version,
        [NotNullWhen(false)] out string? failure);
}
