using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.LanguagePackages.Npm;

public sealed class NpmAnalyzerTests
{
    [Fact]
    public async Task LegacyLicenseForms_GlobalModules_AndNonPackages()
    {
        var inventory = await LanguageImage.AnalyzeAsync(
            ("usr/local/lib/node_modules/old/package.json", """{"name":"old","version":"0.1.0","license":{"type":"BSD","url":"x"}}"""),
            ("usr/lib/node_modules/older/package.json", """{"name":"older","version":"0.0.1","licenses":[{"type":"MIT"},"Apache-2.0"]}"""),
            ("app/node_modules/nameless/package.json", """{"private":true}"""),
            ("app/node_modules/old/test/fixtures/package.json", """{"name":"fixture","version":"9.9.9"}"""),
            ("app/package.json", """{"name":"the-app","version":"1.0.0"}"""));

        Assert.Equal(["old@0.1.0", "older@0.0.1"], inventory.Packages.Select(p => $"{p.Name}@{p.Version}"));
        Assert.Equal(["BSD"], inventory.Packages[0].Licenses);
        Assert.Equal(["MIT", "Apache-2.0"], inventory.Packages[1].Licenses);
        Assert.Empty(inventory.Warnings);
    }

    [Fact]
    public async Task DependencyResolution_NearestNodeModulesWins_UnresolvedLeftOut()
    {
        var inventory = await LanguageImage.AnalyzeAsync(
            ("app/node_modules/a/package.json", """{"name":"a","version":"1.0.0","dependencies":{"b":"^1","missing":"*"},"optionalDependencies":{"c":"*"}}"""),
            ("app/node_modules/a/node_modules/b/package.json", """{"name":"b","version":"1.5.0"}"""),
            ("app/node_modules/b/package.json", """{"name":"b","version":"2.0.0","dependencies":{"@s/c":"1"}}"""),
            ("app/node_modules/@s/c/package.json", """{"name":"@s/c","version":"3.0.0"}"""),
            ("app/node_modules/c/package.json", """{"name":"c","version":"4.0.0"}"""));

        var a = Assert.Single(inventory.Packages, p => p.Name == "a");
        Assert.Equal(["pkg:npm/b@1.5.0", "pkg:npm/c@4.0.0"], a.DependsOn);
        Assert.Equal(["pkg:npm/%40s/c@3.0.0"], Assert.Single(inventory.Packages, p => p is { Name: "b", Version: "2.0.0" }).DependsOn);
    }

    [Fact]
    public async Task MalformedHugeAndDeepManifests_AreWarningsNotCrashes()
    {
        var deep = "{\"name\":\"deep\",\"version\":\"1.0.0\",\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        var huge = "{\"name\":\"huge\",\"version\":\"1.0.0\",\"description\":\"" + new string('x', 5 * 1024 * 1024) + "\"}";
        var inventory = await LanguageImage.AnalyzeAsync(
            ("app/node_modules/broken/package.json", """{"name":"broken","version":"""),
            ("app/node_modules/deep/package.json", deep),
            ("app/node_modules/huge/package.json", huge),
            ("app/node_modules/fine/package.json", """{"name":"fine","version":"1.0.0"}"""));

        Assert.Equal(["fine"], inventory.Packages.Select(p => p.Name));
        Assert.Equal(3, inventory.Warnings.Count);
        Assert.Contains(inventory.Warnings, w => w.Contains("/app/node_modules/broken/package.json is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(inventory.Warnings, w => w.Contains("/app/node_modules/deep/package.json", StringComparison.Ordinal));
        Assert.Contains(inventory.Warnings, w => w.Contains("huge/package.json", StringComparison.Ordinal) && w.Contains("limit", StringComparison.Ordinal));
    }
}
