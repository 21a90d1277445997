namespace Bulwark.Analysis;

/// <summary>How an image is analysed: limits, where the temp area lives, what is known about the base image.</summary>
public sealed record AnalysisOptions
{
    public AnalysisLimits Limits { get; init; } = AnalysisLimits.Default;

    /// <summary>Parent directory of the per-analysis temp area; the system temp directory when null.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>Diff ids of the base image's layers, when the caller knows them; marks <c>LayerInfo.InBaseImage</c>.</summary>
    public IReadOnlySet<string>? BaseImageDiffIds { get; init; }

    /// <summary>Told about each layer as it is read (at its start, every few hundred entries, at its end), e.g. for a progress bar.</summary>
    public IProgress<AnalysisProgress>? Progress { get; init; }

    public static AnalysisOptions Default { get; } = new();
}
