using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.LanguagePackages;

/// <summary>
/// A Debian 12 system with real Debian language packages installed by dpkg, and language packages no OS package
/// owns beside them, analysed as an image: each ecosystem is found, and what dpkg owns is reported once, as deb.
/// </summary>
public sealed class LanguageRootFsTests(LanguageRootFsFixture fixture) : IClassFixture<LanguageRootFsFixture>
{
    [Fact]
    public void DebianLanguagePackages_AreReportedAsDebOnly()
    {
        var debs = fixture.OfType(PackageTypes.Deb).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(LanguageFixtures.DebianPackages.ToHashSet(StringComparer.Ordinal), debs);
        // dpkg owns six's egg-info, PyYAML's dist-info, commons-lang3.jar and rack's gemspec: none is reported again.
        Assert.DoesNotContain(fixture.Inventory.Packages, p => p.Type != PackageTypes.Deb && p.FoundIn.StartsWith("/usr/lib/python3/", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Inventory.Packages, p => p.Type != PackageTypes.Deb && p.FoundIn.StartsWith("/usr/share/java/", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Inventory.Packages, p => p.Type != PackageTypes.Deb && p.FoundIn.StartsWith("/usr/share/rubygems-integration/", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.OfType(PackageTypes.PyPI), p => p.Name == "six");
        Assert.Empty(fixture.Inventory.Warnings);
    }

    [Fact]
    public async Task WithoutOsOwnership_DebianDistInfoWouldBeReported()
    {
        // The same files with only the Python analyzer: the ownership rule, not the analyzer, drops Debian's copies.
        await using var source = Sources.ImageSources.Open(fixture.Root);
        var inventory = Assert.Single(await new ImageAnalyzer([new Packages.Python.PythonPackageAnalyzer()]).AnalyzeAsync(source, null, CancellationToken.None));

        Assert.Contains(inventory.Packages, p => p is { Name: "six", Version: "1.16.0" } && p.FoundIn == "/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO");
        Assert.Contains(inventory.Packages, p => p.Name == "PyYAML" && p.FoundIn.StartsWith("/usr/lib/python3/", StringComparison.Ordinal));
    }

    [Fact]
    public void Python_PipStyleCopyIsReportedOnce()
    {
        var yaml = Assert.Single(fixture.OfType(PackageTypes.PyPI));

        Assert.Equal(("PyYAML", "6.0"), (yaml.Name, yaml.Version));
        Assert.Equal("/usr/local/lib/python3.11/dist-packages/PyYAML-6.0.dist-info/METADATA", yaml.FoundIn);
        Assert.Equal("pkg:pypi/pyyaml@6.0", yaml.Purl);
        Assert.Equal(["MIT"], yaml.Licenses);
        // RECORD lists the module files relative to site-packages.
        Assert.Contains("/usr/local/lib/python3.11/dist-packages/yaml/__init__.py", yaml.Files);
        Assert.Equal(0, yaml.LayerIndex);
    }

    [Fact]
    public async Task Npm_EveryInstalledPackageWithNestedDependency()
    {
        var expected = LanguageFixtures.NpmPackages.Append("ms@2.0.0").Order(StringComparer.Ordinal);
        var npm = fixture.OfType(PackageTypes.Npm);

        Assert.Equal(expected, npm.Select(p => $"{p.Name}@{p.Version}").Order(StringComparer.Ordinal));
        var debug = Assert.Single(npm, p => p.Name == "debug");
        Assert.Equal(["pkg:npm/ms@2.0.0"], debug.DependsOn);
        Assert.Equal("/srv/web/node_modules/debug/package.json", debug.FoundIn);
        Assert.Equal(["MIT"], debug.Licenses);
        Assert.Equal("pkg:npm/%40types/ms@0.7.34", Assert.Single(npm, p => p.Name == "@types/ms").Purl);
        Assert.Contains(npm, p => p is { Name: "ms", Version: "2.0.0", FoundIn: "/srv/web/node_modules/debug/node_modules/ms/package.json" });

        // Ground truth: npm's own view of the tree.
        var listed = await LanguageFixtures.RunInAsync(await LanguageFixtures.NpmProjectAsync(), "npm", ["ls", "--all", "--parseable", "--long"]);
        var fromNpm = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(':')[1]).Order(StringComparer.Ordinal);
        Assert.Equal(fromNpm, npm.Select(p => $"{p.Name}@{p.Version}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Java_WarAndNestedJarAndManifestOnlyJar()
    {
        var maven = fixture.OfType(PackageTypes.Maven);

        var shop = Assert.Single(maven, p => p.Name == "com.example:shop");
        Assert.Equal(("2.0.1", "/opt/app/shop.war", "pkg:maven/com.example/shop@2.0.1"), (shop.Version, shop.FoundIn, shop.Purl));
        var lang3 = Assert.Single(maven, p => p.Name == "org.apache.commons:commons-lang3");
        Assert.Equal(("3.12.0", "/opt/app/shop.war!/WEB-INF/lib/commons-lang3-3.12.0.jar"), (lang3.Version, lang3.FoundIn));
        Assert.Equal("pkg:maven/org.apache.commons/commons-lang3@3.12.0", lang3.Purl);
        var plain = Assert.Single(maven, p => p.FoundIn == "/opt/app/plain.jar");
        Assert.Equal(("org.example:plain", "4.5.6"), (plain.Name, plain.Version));
        Assert.Equal(3, maven.Count);
    }

    [Fact]
    public void Ruby_GemInstalledCopyIsReportedOnce()
    {
        var rack = Assert.Single(fixture.OfType(PackageTypes.Gem));

        Assert.Equal(("rack", "2.2.22", "/var/lib/gems/3.1.0/specifications/rack-2.2.22.gemspec"), (rack.Name, rack.Version, rack.FoundIn));
        Assert.Equal(["MIT"], rack.Licenses);
        Assert.Equal("pkg:gem/rack@2.2.22", rack.Purl);
    }

    [Fact]
    public void NuGet_DepsJsonOfThisTestProject()
    {
        var nuget = fixture.OfType(PackageTypes.NuGet);

        Assert.All(nuget, p => Assert.Equal("/opt/app/Bulwark.Analysis.Tests.deps.json", p.FoundIn));
        Assert.Contains(nuget, p => p.Name == "ZstdSharp.Port" && p.Version == CentralVersion("ZstdSharp.Port"));
        Assert.Contains(nuget, p => p.Name == "xunit.assert");
        // Project references are the application, not packages.
        Assert.DoesNotContain(nuget, p => p.Name.StartsWith("Bulwark.", StringComparison.Ordinal));
        var sqlite = Assert.Single(nuget, p => p.Name == "Microsoft.Data.Sqlite");
        Assert.Contains(sqlite.DependsOn, d => d.StartsWith("pkg:nuget/Microsoft.Data.Sqlite.Core@", StringComparison.Ordinal));
    }

    [Fact]
    public void Composer_PackagesWithDevFlagAndDependencies()
    {
        var composer = fixture.OfType(PackageTypes.Composer);

        Assert.Equal(["monolog/monolog", "phpunit/phpunit", "psr/log"], composer.Select(p => p.Name));
        var monolog = composer[0];
        Assert.Equal(("pkg:composer/monolog/monolog@3.5.0", false), (monolog.Purl, monolog.Development));
        Assert.Equal(["pkg:composer/psr/log@3.0.0"], monolog.DependsOn);
        Assert.True(composer[1].Development);
    }

    [Fact]
    public void LanguagePackages_AreListedAmongReadFiles()
    {
        Assert.Contains(fixture.Inventory.Files, f => f.Path == "srv/web/node_modules/debug/package.json");
        Assert.Contains(fixture.Inventory.Files, f => f.Path == "opt/app/shop.war");
    }

    private static string CentralVersion(string package)
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "Directory.Packages.props"));
        return props.Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == package).Attribute("Version")!.Value;
    }
}
