using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

/// <summary>Assertions shared by the per-ecosystem tests.</summary>
internal static class ComparerAssert
{
    /// <summary>Asserts "a op b" and its mirror "b op' a", where op is one of &lt;, =, &gt;.</summary>
    public static void Holds(string ecosystem, string a, string op, string b)
    {
        var comparer = VersionComparers.For(ecosystem);
        var expected = op switch
        {
            "<" => -1,
            "=" => 0,
            ">" => 1,
            _ => throw new ArgumentException($"unknown operator '{op}'", nameof(op)),
        };
        Assert.True(comparer.IsValid(a), $"'{a}' should be a valid {ecosystem} version");
        Assert.True(comparer.IsValid(b), $"'{b}' should be a valid {ecosystem} version");
        Assert.Equal(expected, comparer.Compare(a, b));
        Assert.Equal(-expected, comparer.Compare(b, a));
    }

    /// <summary>Asserts that the version is reported as malformed, by IsValid and by Compare on either side.</summary>
    public static void Rejects(string ecosystem, string version, string valid)
    {
        var comparer = VersionComparers.For(ecosystem);
        Assert.False(comparer.IsValid(version), $"'{version}' should not be a valid {ecosystem} version");
        var error = Assert.Throws<VersionFormatException>(() => comparer.Compare(version, valid));
        Assert.Contains(ecosystem, error.Message, StringComparison.Ordinal);
        Assert.Throws<VersionFormatException>(() => comparer.Compare(valid, version));
    }
}
