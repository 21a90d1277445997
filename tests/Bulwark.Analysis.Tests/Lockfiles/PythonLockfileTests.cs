namespace Bulwark.Analysis.Tests.Lockfiles;

public sealed class PythonLockfileTests
{
    [Fact]
    public async Task Requirements_PinsAreReported_IncludesFollowedInsideTheRoot_UnpinnedAndEscapingAreWarnings()
    {
        var inventory = await LockfileFixtures.AnalyzeAsync("pip");

        Assert.Equal(
        [
            "pkg:pypi/charset-normalizer@3.3.2 direct=? dev=? deps=[] in=requirements/base.txt",
            "pkg:pypi/django@4.2.7 direct=? dev=? deps=[] in=requirements.txt",
            "pkg:pypi/requests@2.31.0 direct=? dev=? deps=[] in=requirements.txt",
            "pkg:pypi/urllib3@2.1.0 direct=? dev=? deps=[] in=requirements/base.txt",
        ], LockfileFixtures.Describe(inventory));
        Assert.Equal(
        [
            "pip-requirements: requirements.txt:11: include '../outside.txt' is outside the scanned directory; not followed",
            "pip-requirements: requirements.txt:9: flask is not pinned ('>=2.0'); not reported",
        ], inventory.Warnings.Order(StringComparer.Ordinal));
        Assert.Equal("charset_normalizer", inventory.Packages.Single(p => p.Purl.Contains("charset", StringComparison.Ordinal)).Name);
    }

    [Fact]
    public async Task Requirements_IncludeOfAFileNotInTheTree_IsAWarning()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["requirements.txt"] = "-r missing-requirements.txt\n--requirement=constraints/other.txt\n-c constraints.txt\nsix==1.16.0\n",
        });

        var inventory = await tree.AnalyzeAsync();

        Assert.Equal(["pkg:pypi/six@1.16.0 direct=? dev=? deps=[] in=requirements.txt"], LockfileFixtures.Describe(inventory));
        Assert.Equal(2, inventory.Warnings.Count);
        Assert.All(inventory.Warnings, w => Assert.Contains("not found", w, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PoetryLock_WithoutGroups_TakesDirectAndDevFromPyproject()
    {
        var inventory = await LockfileFixtures.AnalyzeAsync("poetry");

        Assert.Equal(
        [
            "pkg:pypi/certifi@2023.11.17 direct=n dev=n deps=[] in=poetry.lock",
            "pkg:pypi/iniconfig@2.0.0 direct=n dev=y deps=[] in=poetry.lock",
            "pkg:pypi/pytest@7.4.3 direct=y dev=y deps=[pkg:pypi/iniconfig@2.0.0] in=poetry.lock",
            "pkg:pypi/requests@2.31.0 direct=y dev=n deps=[pkg:pypi/certifi@2023.11.17,pkg:pypi/urllib3@2.1.0] in=poetry.lock",
            "pkg:pypi/urllib3@2.1.0 direct=n dev=n deps=[] in=poetry.lock",
        ], LockfileFixtures.Describe(inventory));
        Assert.Empty(inventory.Warnings);
    }

    [Fact]
    public async Task PoetryLock_CategoryAndGroups_SayWhatIsDev()
    {
        using var tree = new TempTree(new Dictionary<string, string>
        {
            ["old/poetry.lock"] = "[[package]]\nname = \"Flask\"\nversion = \"3.0.0\"\ncategory = \"main\"\n\n[[package]]\nname = \"black\"\nversion = \"23.12.1\"\ncategory = \"dev\"\n",
            ["new/poetry.lock"] = "[[package]]\nname = \"ruff\"\nversion = \"0.1.9\"\ngroups = [\"dev\"]\n\n[[package]]\nname = \"zope.interface\"\nversion = \"6.1\"\ngroups = [\"main\", \"dev\"]\n",
        });

        var inventory = await tree.AnalyzeAsync();

        Assert.Equal(
        [
            "pkg:pypi/black@23.12.1 direct=? dev=y deps=[] in=old/poetry.lock",
            "pkg:pypi/flask@3.0.0 direct=? dev=n deps=[] in=old/poetry.lock",
            "pkg:pypi/ruff@0.1.9 direct=? dev=y deps=[] in=new/poetry.lock",
            "pkg:pypi/zope-interface@6.1 direct=? dev=n deps=[] in=new/poetry.lock",
        ], LockfileFixtures.Describe(inventory));
    }

    [Fact]
    public async Task PipfileLock_DefaultAndDevelop_DirectFromPipfile_EditableSkipped()
    {
        var inventory = await LockfileFixtures.AnalyzeAsync("pipenv");

        Assert.Equal(
        [
            "pkg:pypi/certifi@2023.11.17 direct=n dev=n deps=[] in=Pipfile.lock",
            "pkg:pypi/iniconfig@2.0.0 direct=n dev=y deps=[] in=Pipfile.lock",
            "pkg:pypi/pytest@7.4.3 direct=y dev=y deps=[] in=Pipfile.lock",
            "pkg:pypi/requests@2.31.0 direct=y dev=n deps=[] in=Pipfile.lock",
        ], LockfileFixtures.Describe(inventory));
        Assert.Empty(inventory.Warnings);
    }
}
