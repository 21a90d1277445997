using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Lockfiles;
using Bulwark.Analysis.Tests.Fixtures;

namespace Bulwark.Analysis.Tests.Lockfiles;

/// <summary>
/// The lock files under <c>Lockfiles/Fixtures</c> (written once by the real tools where they run here, see
/// <c>Fixtures/README.md</c>), temp trees for malformed input, and a one-line description of a package to compare.
/// </summary>
internal static class LockfileFixtures
{
    public static string Directory(string name) =>
        Path.Combine(TestPaths.RepositoryRoot, "tests", "Bulwark.Analysis.Tests", "Lockfiles", "Fixtures", name);

    public static Task<ImageInventory> AnalyzeAsync(string fixture) =>
        SourceAnalysis.AnalyzeDirectoryAsync(Directory(fixture), null, CancellationToken.None);

    /// <summary><c>purl direct=True dev=False deps=[…] in=path</c>: every field a parser fills, in one comparable line.</summary>
    public static string Describe(Package package) =>
        $"{package.Purl} direct={Flag(package.Direct)} dev={Flag(package.Development)} deps=[{string.Join(",", package.DependsOn)}] in={package.FoundIn}";

    public static string[] Describe(ImageInventory inventory) => [.. inventory.Packages.Select(Describe).Order(StringComparer.Ordinal)];

    private static string Flag(bool? value) => value switch { true => "y", false => "n", null => "?" };
}

/// <summary>A temp directory with the given files, deleted on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree(IReadOnlyDictionary<string, string> files)
    {
        Root = System.IO.Directory.CreateTempSubdirectory("bulwark-lockfiles-").FullName;
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(Root, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
    }

    public string Root { get; }

    public Task<ImageInventory> AnalyzeAsync(SourceAnalysisOptions? options = null) =>
        SourceAnalysis.AnalyzeDirectoryAsync(Root, options, CancellationToken.None);

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);
}
