using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Lockfiles;
using Bulwark.Analysis.Packages.NuGet;

namespace Bulwark.Cli.Commands;

/// <summary>
/// Which plain directory given to <c>bulwark scan</c> or <c>bulwark sbom</c> is a project checkout rather than a root
/// filesystem: a directory (not named with <c>dir:</c>, not an OCI layout) that has none of the files a root filesystem
/// has (<c>etc/os-release</c>, <c>usr/lib/os-release</c>, <c>var/lib/dpkg/status</c>, <c>lib/apk/db/installed</c>).
/// </summary>
internal static class SourceDirectories
{
    private static readonly string[] RootFsMarkers =
    [
        "etc/os-release", "usr/lib/os-release", "var/lib/dpkg/status", "lib/apk/db/installed",
    ];

    /// <summary>True when <paramref name="source"/> is analysed in source-directory mode (lock files).</summary>
    public static bool IsSourceDirectory(string source) =>
        !source.StartsWith("dir:", StringComparison.Ordinal)
        && Directory.Exists(source)
        && !File.Exists(Path.Combine(source, "oci-layout"))
        && !RootFsMarkers.Any(marker => File.Exists(Path.Combine(source, marker)));

    /// <summary>The lock files and manifests under <paramref name="path"/>, <c>*.deps.json</c> included.</summary>
    public static Task<ImageInventory> AnalyzeAsync(string path, CancellationToken cancellationToken) =>
        SourceAnalysis.AnalyzeDirectoryAsync(path, new SourceAnalysisOptions { AdditionalAnalyzers = [new DepsJsonAnalyzer()] }, cancellationToken);
}
