namespace Bulwark.Analysis;

/// <summary>
/// Bounds that keep analysis of hostile images finite. Exceeding one throws <see cref="HostileImageException"/>
/// naming the limit, except <see cref="MaxAnalyzedFileBytes"/>, which skips that file with a warning.
/// </summary>
public sealed record AnalysisLimits
{
    /// <summary>Uncompressed bytes of one layer (a decompression bomb stops here).</summary>
    public long MaxLayerBytes { get; init; } = 16L * 1024 * 1024 * 1024;

    /// <summary>Uncompressed bytes of all layers of one image together.</summary>
    public long MaxTotalBytes { get; init; } = 64L * 1024 * 1024 * 1024;

    /// <summary>Tar entries in one layer.</summary>
    public int MaxEntriesPerLayer { get; init; } = 1_000_000;

    /// <summary>Tar entries in all layers together.</summary>
    public int MaxTotalEntries { get; init; } = 4_000_000;

    /// <summary>Layers in one image.</summary>
    public int MaxLayers { get; init; } = 1_000;

    /// <summary>Size of any single entry; a larger one is refused as hostile.</summary>
    public long MaxFileBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Bytes of a path name (after PAX/GNU long names).</summary>
    public int MaxPathBytes { get; init; } = 4096;

    /// <summary>Size of a file an analyzer wants; a larger wanted file is skipped with a warning.</summary>
    public long MaxAnalyzedFileBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Wanted files up to this size stay in memory; larger ones are spilled to the temp area.</summary>
    public int MaxInMemoryFileBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Symbolic links followed while resolving one path.</summary>
    public int MaxSymlinkHops { get; init; } = 40;

    /// <summary>Size of a manifest, index or config fetched from a source.</summary>
    public int MaxManifestBytes { get; init; } = 4 * 1024 * 1024;

    public static AnalysisLimits Default { get; } = new();
}
