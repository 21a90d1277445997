using Bulwark.Policy.Kubernetes;
using Bulwark.Policy.Workloads;

namespace Bulwark.Policy.Tests.Workloads;

/// <summary>
/// The upstream pod-security-admission fixture corpus (../shared/data/pss/LEVEL/vX.Y/{pass,fail}/*.yaml): every pass
/// fixture must be allowed and every fail fixture denied at its level and version.
/// </summary>
public sealed class PodSecurityFixtureTests
{
    public static TheoryData<string, string, string, string> Fixtures()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var (level, version, expected, file) in Enumerate())
        {
            data.Add(level, version, expected, file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Fixture_GivesTheExpectedDecision(string level, string version, string expected, string file)
    {
        Assert.True(PodSecurityLevels.TryParse(level, out var parsedLevel));
        Assert.True(PodSecurityVersion.TryParse(version, out var parsedVersion));
        var path = Path.Combine(SharedData.Pss, level, version, expected, file);
        var objects = await ManifestReader.ReadFileAsync(path, ManifestLimits.Default, CancellationToken.None);
        var workload = PodWorkloads.Find(Assert.Single(objects));
        Assert.NotNull(workload);

        var violations = PodSecurityEvaluator.Evaluate(parsedLevel, parsedVersion, workload.Metadata, workload.Spec);

        if (expected == "pass")
        {
            Assert.True(violations.Count == 0, $"{level}/{version}/{file} denied: {string.Join(", ", violations)}");
        }
        else
        {
            Assert.True(violations.Count > 0, $"{level}/{version}/{file} allowed");
            Assert.All(violations, v => Assert.False(string.IsNullOrEmpty(v.Reason)));
        }
    }

    [Fact]
    public void Corpus_HasPassAndFailFixturesForBothLevels()
    {
        var all = Enumerate().ToList();
        foreach (var level in new[] { "baseline", "restricted" })
        {
            var pass = all.Count(f => f.Level == level && f.Expected == "pass");
            var fail = all.Count(f => f.Level == level && f.Expected == "fail");
            Assert.True(pass > 0, $"no {level} pass fixtures");
            Assert.True(fail > 0, $"no {level} fail fixtures");
        }

        Assert.True(all.Count > 4000, $"only {all.Count} fixtures found under {SharedData.Pss}");
    }

    private static IEnumerable<(string Level, string Version, string Expected, string File)> Enumerate()
    {
        foreach (var levelDir in Directory.EnumerateDirectories(SharedData.Pss).Order(StringComparer.Ordinal))
        {
            foreach (var versionDir in Directory.EnumerateDirectories(levelDir).Order(StringComparer.Ordinal))
            {
                foreach (var expected in new[] { "pass", "fail" })
                {
                    var dir = Path.Combine(versionDir, expected);
                    if (!Directory.Exists(dir))
                    {
                        continue;
                    }

                    foreach (var file in Directory.EnumerateFiles(dir, "*.yaml").Order(StringComparer.Ordinal))
                    {
                        yield return (Path.GetFileName(levelDir), Path.GetFileName(versionDir), expected, Path.GetFileName(file));
                    }
                }
            }
        }
    }
}
