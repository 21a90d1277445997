namespace Bulwark.Analysis;

/// <summary>
/// Finds things (packages, for now) in the files it selects. The layer reader captures only files some analyzer
/// selected; <see cref="AnalyzeAsync"/> then runs once per image on the final view.
/// </summary>
public interface IFileAnalyzer
{
    /// <summary>A short stable name, used in warnings.</summary>
    string Name { get; }

    FileSelector Selector { get; }

    Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken);
}
