using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Lockfiles;

namespace Bulwark.Analysis.Tests.Lockfiles;

/// <summary>The directory mode over a project tree with several lock files and the folders it must skip.</summary>
public sealed class SourceDirectoryTests
{
    private static async Task<Dictionary<string, string>> ProjectTreeAsync()
    {
        var npm = LockfileFixtures.Directory("npm-v3");
        var lockfile = await File.ReadAllTextAsync(Path.Combine(npm, "package-lock.json"));
        return new Dictionary<string, string>
        {
            ["web/package.json"] = await File.ReadAllTextAsync(Path.Combine(npm, "package.json")),
            ["web/package-lock.json"] = lockfile,
            // Installed packages carry lock files and manifests of their own: not the project's dependencies.
            ["web/node_modules/debug/package-lock.json"] = lockfile.Replace("4.3.4", "9.9.9", StringComparison.Ordinal),
            ["web/node_modules/debug/package.json"] = "{\"name\": \"debug\", \"version\": \"4.3.4\"}",
            ["api/go.mod"] = await File.ReadAllTextAsync(Path.Combine(LockfileFixtures.Directory("go"), "go.mod")),
            ["api/vendor/github.com/google/uuid/go.mod"] = "module github.com/google/uuid\n\nrequire example.com/vendored v1.0.0\n",
            ["worker/requirements.txt"] = "requests==2.31.0\n",
            ["worker/.venv/lib/python3.11/site-packages/pip/requirements.txt"] = "vendored==1.0\n",
            ["tools/App/packages.lock.json"] = await File.ReadAllTextAsync(Path.Combine(LockfileFixtures.Directory("nuget"), "packages.lock.json")),
            ["tools/App/bin/Release/packages.lock.json"] = "{ not even json",
            [".git/packed/Cargo.lock"] = "not toml [",
            ["README.md"] = "# project\n",
        };
    }

    [Fact]
    public async Task AnalyzeDirectory_FindsEveryLockfile_SkipsNodeModulesVendorVenvBinAndGit()
    {
        using var tree = new TempTree(await ProjectTreeAsync());

        var inventory = await tree.AnalyzeAsync();

        Assert.Empty(inventory.Warnings);
        Assert.Equal(tree.Root, inventory.Source);
        Assert.Null(inventory.OperatingSystem);
        Assert.Empty(inventory.Layers);
        Assert.Equal(
            new Dictionary<string, int> { ["api/go.mod"] = 5, ["tools/App/packages.lock.json"] = 3, ["web/package-lock.json"] = 5, ["worker/requirements.txt"] = 1 },
            inventory.Packages.GroupBy(p => p.FoundIn).ToDictionary(g => g.Key, g => g.Count()));
        Assert.DoesNotContain(inventory.Packages, p => p.Version == "9.9.9" || p.Name.Contains("vendored", StringComparison.Ordinal));
        Assert.Equal(["api/go.mod", "tools/App/packages.lock.json", "web/package-lock.json", "worker/requirements.txt"],
            inventory.Files.Select(f => f.Path));
        Assert.All(inventory.Packages, p => Assert.Null(p.LayerIndex));
    }

    [Fact]
    public async Task AnalyzeDirectory_WithNoSkippedDirectories_ReadsNodeModulesToo()
    {
        using var tree = new TempTree(await ProjectTreeAsync());

        var inventory = await tree.AnalyzeAsync(new SourceAnalysisOptions { SkippedDirectories = new HashSet<string>() });

        Assert.Contains(inventory.Packages, p => p.Purl == "pkg:npm/debug@9.9.9" && p.FoundIn == "web/node_modules/debug/package-lock.json");
        Assert.Contains(inventory.Warnings, w => w.StartsWith("nuget-lock: tools/App/bin/Release/packages.lock.json:1:", StringComparison.Ordinal));
        Assert.Contains(inventory.Warnings, w => w.StartsWith("cargo-lock: .git/packed/Cargo.lock:1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnalyzeDirectory_AdditionalAnalyzers_RunOnTheSameTree()
    {
        using var tree = new TempTree(new Dictionary<string, string> { ["app/App.deps.json"] = "{}" });
        var probe = new DepsJsonProbe();

        var inventory = await tree.AnalyzeAsync(new SourceAnalysisOptions { AdditionalAnalyzers = [probe] });

        Assert.Equal("pkg:nuget/probe@1.0.0", Assert.Single(inventory.Packages).Purl);
    }

    [Fact]
    public async Task AnalyzeDirectory_MissingDirectory_IsAnImageSourceError()
    {
        await Assert.ThrowsAsync<ImageSourceException>(() =>
            SourceAnalysis.AnalyzeDirectoryAsync(Path.Combine(Path.GetTempPath(), "bulwark-missing-" + Guid.NewGuid()), null, CancellationToken.None));
    }

    /// <summary>Stands in for the <c>*.deps.json</c> analyzer that the lead wires in.</summary>
    private sealed class DepsJsonProbe : IFileAnalyzer
    {
        public string Name => "probe";

        public FileSelector Selector { get; } = new() { Globs = ["**/*.deps.json"] };

        public Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
        {
            foreach (var file in context.Files.Select(Selector))
            {
                context.AddPackage(new Package
                {
                    Type = PackageTypes.NuGet,
                    Name = "probe",
                    Version = "1.0.0",
                    FoundIn = file.Path,
                    Purl = PackageUrl.Create(PackageTypes.NuGet, null, "probe", "1.0.0"),
                });
            }

            return Task.CompletedTask;
        }
    }
}
