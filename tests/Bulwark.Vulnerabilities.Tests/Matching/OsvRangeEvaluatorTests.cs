using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Tests.Matching;

public sealed class OsvRangeEvaluatorTests
{
    [Theory]
    [InlineData("0.1.0", true)]
    [InlineData("1.2.2", true)]
    [InlineData("1.2.3", false)] // fixed is exclusive
    [InlineData("2.0.0", false)]
    public void IntroducedZero_Fixed(string version, bool affected) =>
        Assert.Equal(affected, Evaluate("npm", Range(OsvRangeType.Semver, ("introduced", "0"), ("fixed", "1.2.3")), version).Affected);

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("1.4.0", true)] // last_affected is inclusive
    [InlineData("1.4.1", false)]
    [InlineData("0.9.0", false)]
    public void LastAffected_IsInclusive(string version, bool affected) =>
        Assert.Equal(affected, Evaluate("crates.io", Range(OsvRangeType.Semver, ("introduced", "1.0.0"), ("last_affected", "1.4.0")), version).Affected);

    [Theory]
    [InlineData("1.5", true)]
    [InlineData("1.9", true)]
    [InlineData("2.0", false)] // limit caps the range even with no fix
    [InlineData("1.0", false)]
    public void Limit_CapsTheRange(string version, bool affected) =>
        Assert.Equal(affected, Evaluate("PyPI", Range(OsvRangeType.Ecosystem, ("introduced", "1.5"), ("limit", "2.0")), version).Affected);

    [Theory]
    [InlineData("1.0.0", true, "1.1.0")]
    [InlineData("1.1.0", false, null)]
    [InlineData("2.0.5", true, "2.1.0")]
    [InlineData("2.1.0", false, null)]
    [InlineData("3.0.0", true, null)]
    public void SeveralIntervals_InAnyOrder_AreSortedFirst(string version, bool affected, string? fix)
    {
        // Listed out of order on purpose: evaluation sorts events by version.
        var range = Range(OsvRangeType.Semver, ("introduced", "3.0.0"), ("fixed", "2.1.0"), ("introduced", "2.0.0"), ("fixed", "1.1.0"), ("introduced", "0"));
        var verdict = Evaluate("Go", range, version);

        Assert.Equal(affected, verdict.Affected);
        Assert.Equal(fix is null ? [] : [fix], verdict.FixedVersions);
    }

    [Fact]
    public void SeveralRanges_AnyOneAffects()
    {
        var affected = new OsvAffected
        {
            Package = new OsvPackage("PyPI", "a", null),
            Ranges = [Range(OsvRangeType.Ecosystem, ("introduced", "1.0"), ("fixed", "1.1")), Range(OsvRangeType.Ecosystem, ("introduced", "2.0"), ("fixed", "2.1"))],
        };

        Assert.True(OsvRangeEvaluator.Evaluate(affected, "2.0.5").Affected);
        Assert.False(OsvRangeEvaluator.Evaluate(affected, "1.5").Affected);
    }

    [Fact]
    public void VersionsList_MatchesExactlyAndByEquality()
    {
        var affected = new OsvAffected { Package = new OsvPackage("PyPI", "a", null), Versions = ["1.0", "1.2.0"] };

        Assert.True(OsvRangeEvaluator.Evaluate(affected, "1.0").Affected);
        Assert.True(OsvRangeEvaluator.Evaluate(affected, "1.2").Affected); // PEP 440: 1.2 == 1.2.0
        Assert.False(OsvRangeEvaluator.Evaluate(affected, "1.1").Affected);
    }

    [Fact]
    public void GitRanges_AreIgnored()
    {
        var verdict = Evaluate("crates.io", Range(OsvRangeType.Git, ("introduced", "0"), ("fixed", "abcdef")), "1.0.0");

        Assert.False(verdict.Affected);
        Assert.Null(verdict.Problem);
    }

    [Fact]
    public void EcosystemRanges_UseTheEcosystemOrdering()
    {
        // dpkg: the epoch and ~ rules decide; a naive string or SemVer comparison would get both wrong.
        var range = Range(OsvRangeType.Ecosystem, ("introduced", "0"), ("fixed", "1:2.0~rc1-1"));

        Assert.True(Evaluate("Debian:12", range, "1:1.9-3").Affected);
        Assert.True(Evaluate("Debian:12", range, "2.5-1").Affected); // no epoch sorts below epoch 1
        Assert.False(Evaluate("Debian:12", range, "1:2.0-1").Affected);
    }

    [Fact]
    public void UnparseableVersion_IsAProblem_NotSilentlyClean()
    {
        var verdict = Evaluate("npm", Range(OsvRangeType.Semver, ("introduced", "0"), ("fixed", "1.0.0")), "not-a-version");

        Assert.False(verdict.Affected);
        Assert.Contains("not a valid", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedEventVersion_IsAProblem()
    {
        var verdict = Evaluate("npm", Range(OsvRangeType.Semver, ("introduced", "0"), ("fixed", "x.y")), "1.0.0");

        Assert.Contains("malformed range", verdict.Problem, StringComparison.Ordinal);
    }

    internal static OsvRange Range(OsvRangeType type, params (string Kind, string Version)[] events) =>
        new(type, [.. events.Select(e => new OsvEvent(
            e.Kind switch
            {
                "introduced" => OsvEventKind.Introduced,
                "fixed" => OsvEventKind.Fixed,
                "last_affected" => OsvEventKind.LastAffected,
                _ => OsvEventKind.Limit,
            },
            e.Version))]);

    private static AffectedVerdict Evaluate(string ecosystem, OsvRange range, string version) =>
        OsvRangeEvaluator.Evaluate(new OsvAffected { Package = new OsvPackage(ecosystem, "pkg", null), Ranges = [range] }, version);
}
