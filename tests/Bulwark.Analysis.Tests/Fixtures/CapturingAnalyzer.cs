using System.Text;

namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>A test analyzer that records the final view of the files it selects.</summary>
internal sealed class CapturingAnalyzer(params string[] globs) : IFileAnalyzer
{
    public string Name => "capture";

    public FileSelector Selector { get; } = new() { Globs = globs, Paths = [.. globs.Where(g => !g.Contains('*', StringComparison.Ordinal))] };

    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    public ImageFileSystem? View { get; private set; }

    public async Task AnalyzeAsync(AnalysisContext context, CancellationToken cancellationToken)
    {
        View = context.Files;
        foreach (var file in context.Files.Select(Selector))
        {
            Files[file.Path] = Encoding.UTF8.GetString(await file.Content.ReadAllBytesAsync(cancellationToken));
        }
    }
}
