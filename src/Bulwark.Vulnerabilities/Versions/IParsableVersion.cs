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

    /// <summary>
    /// A string that two versions share exactly when <see cref="IComparable{T}.CompareTo"/> says they are equal (a
    /// canonical form), so that a long list of versions can be kept and searched as strings instead of parsed objects;
    /// null when <paramref name="text"/> is not a version, or when the ecosystem offers no such form (the default).
    /// </summary>
    static virtual string? EqualityKey(string text) => null;
}
