using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Sources;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// Source directory mode (<c>bulwark scan .</c> in CI before any image exists): the project's lock files and
/// manifests, walked from a directory with <see cref="SourceAnalysisOptions.SkippedDirectories"/> pruned, each
/// package's <c>FoundIn</c> the lock file's path relative to the directory.
/// </summary>
public static class SourceAnalysis
{
    /// <summary>One analyzer per lock file format.</summary>
    public static IReadOnlyList<LockfileAnalyzer> LockfileAnalyzers(long maxLockfileBytes = LockfileAnalyzer.DefaultMaxLockfileBytes) =>
    [
        new NpmPackageLockAnalyzer { MaxLockfileBytes = maxLockfileBytes },
        new YarnLockAnalyzer { MaxLockfileBytes = maxLockfileBytes },
        new PnpmLockAnalyzer { MaxLockfileBytes = maxLockfileBytes },
        new RequirementsAnalyzer { MaxLockfileBytes = maxLockfileBytes },
        new PoetryLockAnalyzer { MaxLockfileBytes = maxLockfileBytes },
        new PipfileLockAnalyzer { MaxLockfileBytes = maxLockfileBytes },
        new NuGetLockAnalyzer { MaxLockfileBytes = maxLockfileBytes },
        new GoModAnalyzer { MaxLockfileBytes = maxLockfileBytes },
        new CargoLockAnalyzer { MaxLockfileBytes = maxLockfileBytes },
        new GemfileLockAnalyzer { MaxLockfileBytes = maxLockfileBytes },
        new ComposerLockAnalyzer { MaxLockfileBytes = maxLockfileBytes },
        new MavenPomAnalyzer { MaxLockfileBytes = maxLockfileBytes },
    ];

    /// <summary>
    /// Analyses the lock files under <paramref name="path"/>. The inventory's <c>Source</c> is the directory; it
    /// has no manifest, layers or operating system. Malformed or oversized lock files are warnings.
    /// </summary>
    public static async Task<ImageInventory> AnalyzeDirectoryAsync(string path, SourceAnalysisOptions? options, CancellationToken cancellationToken)
    {
        options ??= SourceAnalysisOptions.Default;
        if (!Directory.Exists(path))
        {
            throw new ImageSourceException($"{path} is not a directory");
        }

        var skipped = options.SkippedDirectories;
        var layer = new DirectoryLayer(path, relative => skipped.Contains(relative[(relative.LastIndexOf('/') + 1)..]));
        var analysis = options.Analysis with
        {
            Limits = options.Analysis.Limits with { MaxAnalyzedFileBytes = options.MaxLockfileBytes },
        };
        var analyzers = new List<IFileAnalyzer>(LockfileAnalyzers(options.MaxLockfileBytes));
        analyzers.AddRange(options.AdditionalAnalyzers);
        var inventory = await new ImageAnalyzer(analyzers, analysis)
            .AnalyzeAsync(new SourceImage { Source = path, Layers = [layer] }, cancellationToken).ConfigureAwait(false);
        return inventory with
        {
            Layers = [],
            OperatingSystem = null,
            Packages = [.. inventory.Packages.OrderBy(p => p.FoundIn, StringComparer.Ordinal).ThenBy(p => p.Type, StringComparer.Ordinal)
                .ThenBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal)],
        };
    }
}
