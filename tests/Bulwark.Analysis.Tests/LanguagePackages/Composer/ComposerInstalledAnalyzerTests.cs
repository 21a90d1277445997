using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.LanguagePackages.Composer;

/// <summary>Composer installed.json in both formats (synthetic: no Composer in Debian's test setup).</summary>
public sealed class ComposerInstalledAnalyzerTests
{
    [Fact]
    public async Task Composer1Array_AndMalformedFiles()
    {
        var inventory = await LanguageImage.AnalyzeAsync(
            ("var/www/a/vendor/composer/installed.json", """[{"name":"symfony/console","version":"v5.4.0","license":"MIT","require":{"symfony/polyfill-php80":"^1.16"}},{"name":"symfony/polyfill-php80","version":"v1.28.0"}]"""),
            ("var/www/b/vendor/composer/installed.json", """{"packages": [ {"name": """),
            ("var/www/c/vendor/composer/installed.json", """{"something": "else"}"""));

        Assert.Equal(["symfony/console@v5.4.0", "symfony/polyfill-php80@v1.28.0"], inventory.Packages.Select(p => $"{p.Name}@{p.Version}"));
        var console = inventory.Packages[0];
        Assert.Equal(("pkg:composer/symfony/console@v5.4.0", null), (console.Purl, console.Development));
        Assert.Equal(["MIT"], console.Licenses);
        Assert.Equal(["pkg:composer/symfony/polyfill-php80@v1.28.0"], console.DependsOn);
        Assert.Equal(2, inventory.Warnings.Count);
        Assert.Contains(inventory.Warnings, w => w.Contains("/var/www/b/vendor/composer/installed.json is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(inventory.Warnings, w => w.Contains("/var/www/c/vendor/composer/installed.json is neither", StringComparison.Ordinal));
    }
}
