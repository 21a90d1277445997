using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

/// <summary>Every comparer stays total, antisymmetric and bounded on arbitrary and oversized input.</summary>
public sealed class HostileInputTests
{
    private const string Alphabet = "0123456789000.-+~^_:#!abcdeprvABZ";

    public static TheoryData<string> Ecosystems => [.. VersionComparers.Ecosystems.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Ecosystems))]
    public void Compare_RandomStrings_OnlyThrowsVersionFormatException_AndIsAntisymmetric(string ecosystem)
    {
        var comparer = VersionComparers.For(ecosystem);
        var random = new Random(20260101);
        var valid = new List<string>();
        for (var n = 0; n < 3000; n++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(1, 14)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
            var isValid = comparer.IsValid(text);
            if (isValid)
            {
                valid.Add(text);
                Assert.Equal(0, comparer.Compare(text, text));
            }
            else
            {
                Assert.Throws<VersionFormatException>(() => comparer.Compare(text, "1"));
            }
        }

        for (var n = 0; n + 1 < valid.Count; n++)
        {
            var a = valid[n];
            var b = valid[n + 1];
            Assert.True(comparer.Compare(a, b) == -comparer.Compare(b, a), $"{ecosystem}: '{a}' vs '{b}' is not antisymmetric");
        }
    }

    [Theory]
    [MemberData(nameof(Ecosystems))]
    public void Compare_HugeNumbers_ComparedByValueWithoutOverflow(string ecosystem)
    {
        var comparer = VersionComparers.For(ecosystem);
        var small = new string('9', 100) + ".0.0";
        var large = "1" + new string('0', 100) + ".0.0";
        Assert.True(comparer.Compare(small, large) < 0);
        Assert.True(comparer.Compare(large, small) > 0);
        var zeroPadded = "000" + large;
        if (ecosystem is "npm" or "Go" or "crates.io" or "Hex")
        {
            Assert.False(comparer.IsValid(zeroPadded));
        }
        else
        {
            Assert.Equal(0, comparer.Compare(zeroPadded, large));
        }
    }

    [Theory]
    [MemberData(nameof(Ecosystems))]
    public void Parse_OverLongVersion_IsRejected(string ecosystem)
    {
        var comparer = VersionComparers.For(ecosystem);
        var longest = "1.0." + new string('1', 252);
        Assert.Equal(256, longest.Length);
        Assert.True(comparer.IsValid(longest));
        Assert.False(comparer.IsValid(longest + "1"));
        Assert.False(comparer.IsValid(new string('1', 100_000)));
    }

    [Theory]
    [MemberData(nameof(Ecosystems))]
    public void Parse_NullOrEmpty_IsRejected(string ecosystem)
    {
        var comparer = VersionComparers.For(ecosystem);
        Assert.False(comparer.IsValid(null));
        Assert.False(comparer.IsValid(string.Empty));
        Assert.Throws<VersionFormatException>(() => comparer.Compare(string.Empty, "1.0.0"));
    }
}
