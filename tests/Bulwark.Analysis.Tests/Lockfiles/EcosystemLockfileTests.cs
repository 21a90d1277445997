namespace Bulwark.Analysis.Tests.Lockfiles;

/// <summary>NuGet, Go, Cargo, Bundler, Composer and Maven lock files and manifests.</summary>
public sealed class EcosystemLockfileTests
{
    [Fact]
    public async Task NuGetPackagesLock_FromDotnetRestore_GivesDirectTransitiveAndTheGraph()
    {
        var inventory = await LockfileFixtures.AnalyzeAsync("nuget");

        Assert.Equal(
        [
            "pkg:nuget/Newtonsoft.Json@13.0.4 direct=y dev=? deps=[] in=packages.lock.json",
            "pkg:nuget/Serilog.Sinks.Console@6.1.1 direct=y dev=? deps=[pkg:nuget/Serilog@4.0.0] in=packages.lock.json",
            "pkg:nuget/Serilog@4.0.0 direct=n dev=? deps=[] in=packages.lock.json",
        ], LockfileFixtures.Describe(inventory));
        Assert.Empty(inventory.Warnings);
    }

    [Fact]
    public async Task NuGetPackagesLock_SeveralFrameworks_ReportsEachVersionOnce_AndSkipsProjects()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["src/App/packages.lock.json"] = """
                {
                  "version": 2,
                  "dependencies": {
                    "net8.0": {
                      "Polly": { "type": "Direct", "requested": "[8.2.0, )", "resolved": "8.2.0", "dependencies": { "polly.core": "8.2.0" } },
                      "Polly.Core": { "type": "Transitive", "resolved": "8.2.0" },
                      "mylib": { "type": "Project", "dependencies": { "Polly": "[8.2.0, )" } }
                    },
                    "net10.0": {
                      "Polly": { "type": "Direct", "requested": "[8.2.0, )", "resolved": "8.2.0", "dependencies": { "Polly.Core": "8.2.0" } },
                      "Polly.Core": { "type": "CentralTransitive", "requested": "[8.3.0, )", "resolved": "8.3.0" }
                    }
                  }
                }
                """,
        });

        var inventory = await tree.AnalyzeAsync();

        Assert.Equal(
        [
            "pkg:nuget/Polly.Core@8.2.0 direct=n dev=? deps=[] in=src/App/packages.lock.json",
            "pkg:nuget/Polly.Core@8.3.0 direct=n dev=? deps=[] in=src/App/packages.lock.json",
            "pkg:nuget/Polly@8.2.0 direct=y dev=? deps=[pkg:nuget/Polly.Core@8.2.0,pkg:nuget/Polly.Core@8.3.0] in=src/App/packages.lock.json",
        ], LockfileFixtures.Describe(inventory));
    }

    [Fact]
    public async Task GoMod_RequiresIndirectAndReplaces_LocalReplacementDropped()
    {
        var inventory = await LockfileFixtures.AnalyzeAsync("go");

        Assert.Equal(
        [
            "pkg:golang/github.com/google/uuid@v1.5.0 direct=y dev=? deps=[] in=go.mod",
            "pkg:golang/github.com/pkg/errors@v0.9.2-fork direct=y dev=? deps=[] in=go.mod",
            "pkg:golang/github.com/stretchr/testify@v1.8.4 direct=n dev=? deps=[] in=go.mod",
            "pkg:golang/golang.org/x/sys@v0.16.0 direct=n dev=? deps=[] in=go.mod",
            "pkg:golang/golang.org/x/text@v0.14.0 direct=y dev=? deps=[] in=go.mod",
        ], LockfileFixtures.Describe(inventory));
        Assert.Empty(inventory.Warnings);
    }

    [Fact]
    public async Task GoSum_IsNotRead()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["go.sum"] = "golang.org/x/text v0.14.0 h1:ScX5w1eTa3QqT8oi6+ziP7dTV1S2+ALU0bI+0zXKWiQ=\n",
        });

        var inventory = await tree.AnalyzeAsync();

        Assert.Empty(inventory.Packages);
        Assert.Empty(inventory.Files);
    }

    [Fact]
    public async Task CargoLock_RegistryPackagesWithGraph_WorkspaceCrateGivesDirect()
    {
        var inventory = await LockfileFixtures.AnalyzeAsync("cargo");

        Assert.Equal(
        [
            "pkg:cargo/itoa@1.0.11 direct=y dev=? deps=[] in=Cargo.lock",
            "pkg:cargo/serde@1.0.195 direct=y dev=? deps=[pkg:cargo/serde_derive@1.0.195] in=Cargo.lock",
            "pkg:cargo/serde_derive@1.0.195 direct=n dev=? deps=[pkg:cargo/syn@2.0.48] in=Cargo.lock",
            "pkg:cargo/syn@1.0.109 direct=n dev=? deps=[] in=Cargo.lock",
            "pkg:cargo/syn@2.0.48 direct=n dev=? deps=[] in=Cargo.lock",
        ], LockfileFixtures.Describe(inventory));
        Assert.Empty(inventory.Warnings);
    }

    [Fact]
    public async Task GemfileLock_FromBundler_GivesSpecsGraphAndDirectDependencies()
    {
        var inventory = await LockfileFixtures.AnalyzeAsync("bundler");

        Assert.Equal(
        [
            "pkg:gem/debug@1.4.0 direct=y dev=? deps=[pkg:gem/irb@1.4.1,pkg:gem/reline@0.3.0] in=Gemfile.lock",
            "pkg:gem/io-console@0.5.11 direct=n dev=? deps=[] in=Gemfile.lock",
            "pkg:gem/irb@1.4.1 direct=n dev=? deps=[pkg:gem/reline@0.3.0] in=Gemfile.lock",
            "pkg:gem/power_assert@2.0.1 direct=n dev=? deps=[] in=Gemfile.lock",
            "pkg:gem/reline@0.3.0 direct=n dev=? deps=[pkg:gem/io-console@0.5.11] in=Gemfile.lock",
            "pkg:gem/rexml@3.2.5 direct=n dev=? deps=[] in=Gemfile.lock",
            "pkg:gem/rss@0.2.9 direct=y dev=? deps=[pkg:gem/rexml@3.2.5] in=Gemfile.lock",
            "pkg:gem/test-unit@3.5.3 direct=y dev=? deps=[pkg:gem/power_assert@2.0.1] in=Gemfile.lock",
        ], LockfileFixtures.Describe(inventory));
        Assert.Empty(inventory.Warnings);
    }

    [Fact]
    public async Task GemfileLock_PlatformGemsAndPathGems()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["Gemfile.lock"] = "PATH\n  remote: .\n  specs:\n    myapp (0.1.0)\n      nokogiri\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.16.0-x86_64-linux)\n\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  myapp!\n  nokogiri (~> 1.16)\n",
        });

        var inventory = await tree.AnalyzeAsync();

        Assert.Equal(["pkg:gem/nokogiri@1.16.0?platform=x86_64-linux direct=y dev=? deps=[] in=Gemfile.lock"], LockfileFixtures.Describe(inventory));
        Assert.Equal("1.16.0", inventory.Packages[0].Version);
    }

    [Fact]
    public async Task ComposerLock_PackagesAndPackagesDev_DirectFromComposerJson()
    {
        var inventory = await LockfileFixtures.AnalyzeAsync("composer");

        Assert.Equal(
        [
            "pkg:composer/monolog/monolog@3.5.0 direct=y dev=n deps=[pkg:composer/psr/log@3.0.0] in=composer.lock",
            "pkg:composer/phpunit/php-timer@6.0.0 direct=y dev=y deps=[] in=composer.lock",
            "pkg:composer/psr/log@3.0.0 direct=n dev=n deps=[] in=composer.lock",
        ], LockfileFixtures.Describe(inventory));
        Assert.Empty(inventory.Warnings);
    }

    [Fact]
    public async Task MavenPom_PropertiesProjectVersionAndManagedVersionsResolved_UnresolvableAreWarnings()
    {
        var inventory = await LockfileFixtures.AnalyzeAsync("maven");

        Assert.Equal(
        [
            "pkg:maven/com.example/fixture-common@2.1.0 direct=y dev=n deps=[] in=pom.xml",
            "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.16.1 direct=y dev=n deps=[] in=pom.xml",
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.16.1 direct=y dev=n deps=[] in=pom.xml",
            "pkg:maven/org.junit.jupiter/junit-jupiter@5.10.1 direct=y dev=y deps=[] in=pom.xml",
            "pkg:maven/org.slf4j/slf4j-api@2.0.11 direct=y dev=n deps=[] in=pom.xml",
        ], LockfileFixtures.Describe(inventory));
        Assert.Equal(
        [
            "maven-pom: pom.xml:51: org.apache.commons:commons-lang3 version '${commons.version}' cannot be resolved from this pom; not reported",
            "maven-pom: pom.xml:56: com.google.guava:guava version is not declared in this pom (parent or BOM); not reported",
        ], inventory.Warnings);
    }

    [Fact]
    public async Task MavenPom_WithADoctype_IsRefused()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["pom.xml"] = "<?xml version=\"1.0\"?>\n<!DOCTYPE project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<project><dependencies><dependency><groupId>a</groupId><artifactId>&x;</artifactId><version>1</version></dependency></dependencies></project>\n",
        });

        var inventory = await tree.AnalyzeAsync();

        Assert.Empty(inventory.Packages);
        var warning = Assert.Single(inventory.Warnings);
        Assert.StartsWith("maven-pom: pom.xml: ", warning, StringComparison.Ordinal);
        Assert.Contains("DTD", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MavenPom_PropertiesThatExpandExponentially_AreAWarning()
    {
        var properties = string.Concat(Enumerable.Range(0, 15).Select(i => $"<p{i}>${{p{i + 1}}}${{p{i + 1}}}${{p{i + 1}}}${{p{i + 1}}}</p{i}>"));
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["pom.xml"] = $"<project><properties>{properties}<p15>xxxxxxxxxxxxxxxx</p15></properties><dependencies>"
                + "<dependency><groupId>g</groupId><artifactId>a</artifactId><version>${p0}</version></dependency></dependencies></project>",
        });

        var inventory = await tree.AnalyzeAsync();

        Assert.Empty(inventory.Packages);
        Assert.Contains("g:a version '${p0}' cannot be resolved", Assert.Single(inventory.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LockfileWithAByteOrderMark_IsRead()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(LockfileFixtures.Directory("nuget"), "packages.lock.json"));
        using var tree = new TempTree(new Dictionary<string, string> { ["packages.lock.json"] = "\uFEFF" + text });

        var inventory = await tree.AnalyzeAsync();

        Assert.Equal(3, inventory.Packages.Count);
        Assert.Empty(inventory.Warnings);
    }
}
