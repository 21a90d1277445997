using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Vulnerabilities.Versions;

/// <summary>An <see cref="IVersionComparer"/> that parses each string as <typeparamref name="TVersion"/> and compares the results.</summary>
public sealed class VersionComparer<TVersion> : IVersionComparer
    where TVersion : class, IParsableVersion<TVersion>
{
    public VersionComparer(string ecosystem)
    {
        ArgumentException.ThrowIfNullOrEmpty(ecosystem);
        Ecosystem = ecosystem;
    }

    public string Ecosystem { get; }

    public bool IsValid(string? version) => TVersion.TryParse(version, out _, out _);

    public int Compare(string a, string b) => Math.Sign(Parse(a).CompareTo(Parse(b)));

    public bool TryParse([NotNullWhen(true)] string? version, [NotNullWhen(true)] out object? parsed, [NotNullWhen(false)] out string? failure)
    {
        var valid = TVersion.TryParse(version, out var typed, out failure);
        parsed = typed;
        return valid;
    }

    public int CompareParsed(object a, object b) => Math.Sign(((TVersion)a).CompareTo((TVersion)b));

    public string? EqualityKey(string version) => TVersion.EqualityKey(version);

    /// <summary>Parses a version, throwing <see cref="VersionFormatException"/> when it is malformed.</summary>
    public TVersion Parse(string version) =>
        TVersion.TryParse(version, out var parsed, out var failure)
            ? parsed
            : throw VersionFormatException.For(Ecosystem, version, failure);
}
