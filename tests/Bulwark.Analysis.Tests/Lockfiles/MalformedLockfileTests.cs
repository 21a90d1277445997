using Bulwark.Analysis.Lockfiles;

namespace Bulwark.Analysis.Tests.Lockfiles;

/// <summary>A malformed lock file of each format is one warning naming the file (and line where the parser knows it); the good file beside it is still read.</summary>
public sealed class MalformedLockfileTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "requirements.txt", "six==1.16.0\n!!! not a requirement\n", "pip-requirements: broken/requirements.txt:2: '!!! not a requirement' is not a requirement" },
        { "poetry.lock", "[[package]]\nname = \"a\"\nversion = = \"1\"\n", "poetry-lock: broken/poetry.lock:3:" },
        { "poetry.lock", "[[package]]\nversion = \"1\"\n", "poetry-lock: broken/poetry.lock: a [[package]] has no name" },
        { "Pipfile.lock", "{\n  \"_meta\": {},\n  \"default\": {\n    \"six\": { \"version\": \"==1.16.0\" \n  }\n", "pipfile-lock: broken/Pipfile.lock:6:" },
        { "Pipfile.lock", "[]", "pipfile-lock: broken/Pipfile.lock:1: no _meta object" },
        { "packages.lock.json", "{\n  \"version\": 1,\n  \"dependencies\": { \"net8.0\": [ }\n}\n", "nuget-lock: broken/packages.lock.json:3:" },
        { "go.mod", "module example.com/x\n\nrequire (\n\tgolang.org/x/text\n)\n", "go-mod: broken/go.mod:4: require needs a module path and a version" },
        { "go.mod", "module example.com/x\nrequire (\n\tgolang.org/x/text v0.14.0\n", "go-mod: broken/go.mod:3: require block is not closed" },
        { "Cargo.lock", "version = 4\n\n[[package]\nname = \"itoa\"\n", "cargo-lock: broken/Cargo.lock:3:" },
        { "Gemfile.lock", "GEM\n  specs:\n    rack (3.0.8\n", "gemfile-lock: broken/Gemfile.lock:3: 'rack (3.0.8' has an unclosed parenthesis" },
        { "composer.lock", "{\n  \"packages\": [\n    { \"name\": \"psr/log\", \"version\": \"3.0.0\" },,\n  ]\n}\n", "composer-lock: broken/composer.lock:3:" },
        { "pom.xml", "<project>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>\n", "maven-pom: broken/pom.xml:4:" },
        { "package-lock.json", "{\"name\": \"x\"}", "npm-lock: broken/package-lock.json:1: no lockfileVersion" },
        { "pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages:\n  'noversion': {}\n", "pnpm-lock: broken/pnpm-lock.yaml:3: package key 'noversion' is not name and version" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedLockfile_IsOneWarning_AndTheOtherFileIsStillRead(string name, string text, string warningStart)
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["broken/" + name] = text,
            ["good/go.mod"] = "module example.com/good\n\ngo 1.21\n\nrequire golang.org/x/text v0.14.0\n",
        });

        var inventory = await tree.AnalyzeAsync();

        var warning = Assert.Single(inventory.Warnings);
        Assert.True(warning.StartsWith(warningStart, StringComparison.Ordinal), warning);
        Assert.EndsWith("not analysed", warning, StringComparison.Ordinal);
        Assert.Equal("pkg:golang/golang.org/x/text@v0.14.0", Assert.Single(inventory.Packages).Purl);
    }

    [Fact]
    public async Task LockfileOverTheSizeCap_IsSkippedWithAWarning()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["big/go.mod"] = "module example.com/big\n\nrequire golang.org/x/text v0.14.0\n" + new string('\n', 4096),
            ["small/go.mod"] = "module example.com/small\n\nrequire golang.org/x/sys v0.16.0\n",
        });

        var inventory = await tree.AnalyzeAsync(new SourceAnalysisOptions { MaxLockfileBytes = 1024 });

        Assert.Equal("pkg:golang/golang.org/x/sys@v0.16.0", Assert.Single(inventory.Packages).Purl);
        var warning = Assert.Single(inventory.Warnings);
        Assert.StartsWith("big/go.mod ", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnalyzerInAnImage_AppliesItsOwnCap()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["app/go.mod"] = "module example.com/app\n\nrequire golang.org/x/text v0.14.0\n",
        });

        await using var source = Bulwark.Analysis.Sources.ImageSources.Open(tree.Root);
        var inventory = Assert.Single(await new ImageAnalyzer([new GoModAnalyzer { MaxLockfileBytes = 10 }]).AnalyzeAsync(source, null, CancellationToken.None));

        Assert.Empty(inventory.Packages);
        Assert.Equal("go-mod: app/go.mod is 58 bytes, over the lock file cap of 10 bytes; not analysed", Assert.Single(inventory.Warnings));
    }

    [Fact]
    public async Task ParseAsync_OnText_ThrowsLockfileFormatExceptionWithTheLine()
    {
        var error = await Assert.ThrowsAsync<LockfileFormatException>(() => new CargoLockAnalyzer().ParseAsync("Cargo.lock", "[[package]]\nname = \n", CancellationToken.None));

        Assert.Equal(2, error.Line);
    }
}
