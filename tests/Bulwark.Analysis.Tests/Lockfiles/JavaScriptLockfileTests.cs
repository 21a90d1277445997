namespace Bulwark.Analysis.Tests.Lockfiles;

/// <summary>
/// npm, yarn and pnpm lock files written by the real tools for one package.json: debug 4.3.4 (needing ms 2.1.2),
/// ms 2.0.0 and @sindresorhus/is as dependencies, is-number as a devDependency — so ms exists at two versions,
/// one direct and one transitive.
/// </summary>
public sealed class JavaScriptLockfileTests
{
    private static string[] Expected(string file) =>
    [
        $"pkg:npm/%40sindresorhus/is@4.6.0 direct=y dev=n deps=[] in={file}",
        $"pkg:npm/debug@4.3.4 direct=y dev=n deps=[pkg:npm/ms@2.1.2] in={file}",
        $"pkg:npm/is-number@7.0.0 direct=y dev=y deps=[] in={file}",
        $"pkg:npm/ms@2.0.0 direct=y dev=n deps=[] in={file}",
        $"pkg:npm/ms@2.1.2 direct=n dev=n deps=[] in={file}",
    ];

    [Theory]
    [InlineData("npm-v1")]
    [InlineData("npm-v2")]
    [InlineData("npm-v3")]
    public async Task PackageLock_EveryLockfileVersion_GivesTheSameGraph(string fixture)
    {
        var inventory = await LockfileFixtures.AnalyzeAsync(fixture);

        Assert.Equal(Expected("package-lock.json"), LockfileFixtures.Describe(inventory));
        Assert.Empty(inventory.Warnings);
        Assert.Equal(fixture, Path.GetFileName(inventory.Source));
        Assert.Empty(inventory.Layers);
        Assert.Null(inventory.ManifestDigest);
    }

    [Theory]
    [InlineData("yarn-v1")]
    [InlineData("yarn-berry")]
    public async Task YarnLock_ClassicAndBerry_GiveTheGraphWithDirectAndDevFromPackageJson(string fixture)
    {
        var inventory = await LockfileFixtures.AnalyzeAsync(fixture);

        Assert.Equal(Expected("yarn.lock"), LockfileFixtures.Describe(inventory));
        Assert.Empty(inventory.Warnings);
    }

    [Theory]
    [InlineData("pnpm-v5")]
    [InlineData("pnpm-v6")]
    [InlineData("pnpm-v9")]
    public async Task PnpmLock_EveryKeyFormat_GivesTheSameGraph(string fixture)
    {
        var inventory = await LockfileFixtures.AnalyzeAsync(fixture);

        Assert.Equal(Expected("pnpm-lock.yaml"), LockfileFixtures.Describe(inventory));
        Assert.Empty(inventory.Warnings);
    }

    [Fact]
    public async Task YarnBerry_WithoutPackageJson_TakesDirectFromTheRootWorkspaceAndLeavesDevUnknown()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["yarn.lock"] = await File.ReadAllTextAsync(Path.Combine(LockfileFixtures.Directory("yarn-berry"), "yarn.lock")),
        });

        var packages = (await tree.AnalyzeAsync()).Packages.ToDictionary(p => p.Purl);

        Assert.True(packages["pkg:npm/ms@2.0.0"].Direct);
        Assert.False(packages["pkg:npm/ms@2.1.2"].Direct);
        Assert.Null(packages["pkg:npm/is-number@7.0.0"].Development);
    }

    [Theory]
    [InlineData("package-lock.json", "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/a\": { \"version\": \"1.0.0\", }\n  }\n}", 4)]
    [InlineData("yarn.lock", "# yarn lockfile v1\n\nleft-pad@^1.3.0:\n  version \"1.3.0\"\nthis line is not a header\n", 5)]
    [InlineData("yarn.lock", "__metadata:\n  version: 8\n\n\"a@npm:1.0.0\":\n  version: 1.0.0\n  resolution: [unclosed\n", 7)]
    [InlineData("pnpm-lock.yaml", "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: x\n  - y\n", 5)]
    [InlineData("pnpm-lock.yaml", "lockfileVersion: '4.0'\n", 1)]
    public async Task MalformedLockfile_IsAWarningWithFileAndLine_AndOtherFilesAreStillRead(string name, string text, int line)
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["broken/" + name] = text,
            ["good/package-lock.json"] = await File.ReadAllTextAsync(Path.Combine(LockfileFixtures.Directory("npm-v3"), "package-lock.json")),
        });

        var inventory = await tree.AnalyzeAsync();

        var warning = Assert.Single(inventory.Warnings);
        Assert.True(warning.Contains($"broken/{name}:{line}:", StringComparison.Ordinal), warning);
        Assert.All(inventory.Packages, p => Assert.Equal("good/package-lock.json", p.FoundIn));
        Assert.Equal(5, inventory.Packages.Count);
    }

    [Fact]
    public async Task Workspaces_LinksAndWorkspaceSourcesAreNotPackages_TheirDependenciesAre()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["package-lock.json"] = """
                {
                  "name": "root", "lockfileVersion": 3, "requires": true,
                  "packages": {
                    "": { "name": "root", "workspaces": ["packages/*"] },
                    "node_modules/app": { "resolved": "packages/app", "link": true },
                    "node_modules/ms": { "version": "2.1.3" },
                    "packages/app": { "name": "app", "version": "1.0.0", "dependencies": { "ms": "^2.1.3" } }
                  }
                }
                """,
            ["pnpm-lock.yaml"] = """
                lockfileVersion: '9.0'
                importers:
                  .:
                    dependencies:
                      app:
                        specifier: workspace:*
                        version: link:packages/app
                  packages/app:
                    dependencies:
                      ms:
                        specifier: ^2.1.3
                        version: 2.1.3
                packages:
                  ms@2.1.3:
                    resolution: {integrity: sha512-x}
                snapshots:
                  ms@2.1.3: {}
                """,
        });

        var inventory = await tree.AnalyzeAsync();

        Assert.Equal(
        [
            "pkg:npm/ms@2.1.3 direct=y dev=n deps=[] in=package-lock.json",
            "pkg:npm/ms@2.1.3 direct=y dev=n deps=[] in=pnpm-lock.yaml",
        ], LockfileFixtures.Describe(inventory));
        Assert.Empty(inventory.Warnings);
    }
}

