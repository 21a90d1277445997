namespace Bulwark.Analysis.Lockfiles;

/// <summary>How a source directory is analysed: which directories are skipped, the lock file size cap, extra analyzers.</summary>
public sealed record SourceAnalysisOptions
{
    /// <summary>
    /// Directory names skipped wherever they appear: version control (<c>.git</c>, <c>.hg</c>, <c>.svn</c>),
    /// installed dependencies whose own lock files and manifests would report the same packages again or report
    /// packages of packages (<c>node_modules</c>, <c>vendor</c> of Composer, Go and Bundler, <c>.venv</c>/<c>venv</c>),
    /// and build output holding copies (<c>target</c> of Maven and Cargo, <c>bin</c>/<c>obj</c> of .NET).
    /// </summary>
    public static IReadOnlySet<string> DefaultSkippedDirectories { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ".git", ".hg", ".svn", "node_modules", "vendor", ".venv", "venv", "target", "bin", "obj",
    };

    public IReadOnlySet<string> SkippedDirectories { get; init; } = DefaultSkippedDirectories;

    /// <summary>A lock file larger than this is skipped with a warning (64 MiB).</summary>
    public long MaxLockfileBytes { get; init; } = LockfileAnalyzer.DefaultMaxLockfileBytes;

    /// <summary>Analyzers run besides <see cref="SourceAnalysis.LockfileAnalyzers"/> (the .NET <c>*.deps.json</c> analyzer, for one).</summary>
    public IReadOnlyList<IFileAnalyzer> AdditionalAnalyzers { get; init; } = [];

    /// <summary>Limits and temp area of the underlying analysis; <see cref="AnalysisLimits.MaxAnalyzedFileBytes"/> is set from <see cref="MaxLockfileBytes"/>.</summary>
    public AnalysisOptions Analysis { get; init; } = AnalysisOptions.Default;

    public static SourceAnalysisOptions Default { get; } = new();
}
