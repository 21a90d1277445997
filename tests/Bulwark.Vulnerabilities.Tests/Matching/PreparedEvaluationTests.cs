using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Matching;
using Bulwark.Vulnerabilities.Osv;
using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Matching;

/// <summary>
/// The evaluator parses an entry's versions once (<c>PreparedAffected</c>); its verdicts must be exactly those of comparing
/// the version strings one comparison at a time, as it did before. Checked against that string-comparing evaluation over
/// every affected entry of the shared OSV archives, with their own versions and neighbours as installed versions.
/// </summary>
public sealed class PreparedEvaluationTests
{
    [Theory]
    [InlineData("PyPI")]
    [InlineData("crates.io")]
    [InlineData("Go")]
    public async Task SharedAdvisories_VerdictsEqualStringByStringEvaluation(string ecosystem)
    {
        var entries = 0;
        var limits = new AdvisoryImportOptions { DownloadDirectory = Path.GetTempPath() };
        await foreach (var entry in OsvArchiveReader.ReadAsync(SharedData.Osv(ecosystem), limits.ArchiveLimits, limits.OsvLimits, CancellationToken.None))
        {
            foreach (var affected in entry.Advisory?.Affected ?? [])
            {
                entries++;
                foreach (var version in VersionsToTry(affected))
                {
                    AffectedVerdict expected;
                    try
                    {
                        expected = Reference.Evaluate(affected, version);
                    }
                    catch (InvalidOperationException)
                    {
                        // The string-by-string evaluation failed outright (a malformed event met while sorting); see below.
                        continue;
                    }

                    var actual = OsvRangeEvaluator.Evaluate(affected, version);
                    Assert.True(expected.Affected == actual.Affected && expected.FixedVersions.SequenceEqual(actual.FixedVersions) && expected.Problem == actual.Problem,
                        $"{entry.Advisory!.Id} {affected.Package.Name} {version}: expected {Describe(expected)}, got {Describe(actual)}");
                }
            }
        }

        Assert.True(entries > 1000, $"only {entries} entries read");
    }

    [Fact]
    public void MalformedEventAmongSeveral_IsAProblem_NotAnException()
    {
        // Sorting the events compares them with each other: a malformed one used to escape as an InvalidOperationException.
        var affected = new OsvAffected
        {
            Package = new OsvPackage("npm", "pkg", null),
            Ranges = [OsvRangeEvaluatorTests.Range(OsvRangeType.Semver, ("introduced", "1.0.0"), ("fixed", "x.y"), ("introduced", "2.0.0"), ("fixed", "2.1.0"))],
        };

        var verdict = OsvRangeEvaluator.Evaluate(affected, "2.0.5");

        Assert.False(verdict.Affected);
        Assert.Equal("malformed range: invalid SemVer version 'x.y': " + FailureOf("x.y"), verdict.Problem);
    }

    [Fact]
    public void OneEntry_EvaluatedManyTimes_GivesTheSameVerdictsAsAFreshEntry()
    {
        var affected = new OsvAffected
        {
            Package = new OsvPackage("PyPI", "a", null),
            Ranges = [OsvRangeEvaluatorTests.Range(OsvRangeType.Ecosystem, ("introduced", "1.0"), ("fixed", "1.4"))],
            Versions = ["0.9", "1.0", "1.1", "1.2.0"],
        };
        string[] versions = ["0.8", "0.9", "1.0", "1.2", "1.3.9", "1.4", "2.0", "not a version"];

        var first = versions.Select(v => OsvRangeEvaluator.Evaluate(affected, v)).ToList();
        var again = versions.Select(v => OsvRangeEvaluator.Evaluate(affected, v)).ToList();
        var fresh = versions.Select(v => OsvRangeEvaluator.Evaluate(affected with { }, v)).ToList();

        Assert.Equal([false, true, true, true, true, false, false, false], first.Select(v => v.Affected));
        Assert.Equal(first.Select(Describe), again.Select(Describe));
        Assert.Equal(first.Select(Describe), fresh.Select(Describe));
    }

    private static string FailureOf(string version) =>
        VersionComparers.SemVer.TryParse(version, out _, out var failure) ? throw new ArgumentException("valid: " + version) : failure;

    private static string Describe(AffectedVerdict verdict) => $"{verdict.Affected} [{string.Join(",", verdict.FixedVersions)}] {verdict.Problem}";

    /// <summary>Every version the entry names, and for each a variant below and above it, plus a few anywhere.</summary>
    private static IEnumerable<string> VersionsToTry(OsvAffected affected)
    {
        var named = affected.Versions.Concat(affected.Ranges.SelectMany(r => r.Events).Select(e => e.Version)).Where(v => v is not ("0" or "*"))
            .Distinct(StringComparer.Ordinal).Take(40).ToList();
        return named.Concat(named.Select(v => v + ".1")).Concat(named.Select(v => v + "-rc1")).Concat(["0.0.1", "1.0.0", "99.0.0", "bad version"])
            .Distinct(StringComparer.Ordinal);
    }

    /// <summary>The evaluation as it was before the entries were prepared: each comparison parses both strings.</summary>
    private static class Reference
    {
        public static AffectedVerdict Evaluate(OsvAffected affected, string version)
        {
            VersionComparers.TryFor(affected.Package.Ecosystem, out var ecosystemComparer);
            var affectedByRange = false;
            var fixedVersions = new List<string>();
            string? problem = null;
            foreach (var range in affected.Ranges)
            {
                IVersionComparer? comparer = range.Type switch
                {
                    OsvRangeType.Semver => VersionComparers.SemVer,
                    OsvRangeType.Ecosystem => ecosystemComparer,
                    _ => null,
                };
                if (range.Type == OsvRangeType.Git)
                {
                    continue;
                }

                if (comparer is null)
                {
                    problem ??= $"no version ordering for ecosystem '{affected.Package.Ecosystem}'";
                    continue;
                }

                if (!comparer.IsValid(version))
                {
                    problem ??= $"'{version}' is not a valid {comparer.Ecosystem} version";
                    continue;
                }

                try
                {
                    var (inRange, fix) = EvaluateRange(range, version, comparer);
                    if (inRange)
                    {
                        affectedByRange = true;
                        if (fix is not null)
                        {
                            fixedVersions.Add(fix);
                        }
                    }
                }
                catch (VersionFormatException e)
                {
                    problem ??= "malformed range: " + e.Message;
                }
            }

            var listed = affected.Versions.Count > 0 && IsListed(affected.Versions, version, ecosystemComparer);
            return new AffectedVerdict(affectedByRange || listed, fixedVersions, problem);
        }

        private static (bool Affected, string? Fix) EvaluateRange(OsvRange range, string version, IVersionComparer comparer)
        {
            var events = range.Events.ToList();
            events.Sort((a, b) => Order(a, b, comparer));
            foreach (var limit in events.Where(e => e.Kind == OsvEventKind.Limit && e.Version != "*"))
            {
                if (comparer.Compare(version, limit.Version) >= 0)
                {
                    return (false, null);
                }
            }

            var affected = false;
            foreach (var e in events)
            {
                switch (e.Kind)
                {
                    case OsvEventKind.Introduced when e.Version == "0" || comparer.Compare(version, e.Version) >= 0:
                        affected = true;
                        break;
                    case OsvEventKind.Fixed when comparer.Compare(version, e.Version) >= 0:
                        affected = false;
                        break;
                    case OsvEventKind.LastAffected when comparer.Compare(version, e.Version) > 0:
                        affected = false;
                        break;
                }
            }

            if (!affected)
            {
                return (false, null);
            }

            var fix = events.FirstOrDefault(e => e.Kind == OsvEventKind.Fixed && comparer.Compare(e.Version, version) > 0);
            return (true, fix.Version);
        }

        private static int Order(OsvEvent a, OsvEvent b, IVersionComparer comparer)
        {
            var aZero = a.Kind == OsvEventKind.Introduced && a.Version == "0";
            var bZero = b.Kind == OsvEventKind.Introduced && b.Version == "0";
            if (aZero || bZero)
            {
                return aZero == bZero ? 0 : aZero ? -1 : 1;
            }

            if (a.Kind == OsvEventKind.Limit && a.Version == "*")
            {
                return b.Kind == OsvEventKind.Limit && b.Version == "*" ? 0 : 1;
            }

            if (b.Kind == OsvEventKind.Limit && b.Version == "*")
            {
                return -1;
            }

            return comparer.Compare(a.Version, b.Version);
        }

        private static bool IsListed(IReadOnlyList<string> versions, string version, IVersionComparer? comparer)
        {
            var valid = comparer?.IsValid(version) == true;
            foreach (var listed in versions)
            {
                if (listed == version || (valid && comparer!.IsValid(listed) && comparer.Compare(listed, version) == 0))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
