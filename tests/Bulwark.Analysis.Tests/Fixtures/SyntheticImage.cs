using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Sources;

namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>An in-memory image of synthetic layer blobs, analysed through the same path as real sources.</summary>
internal static class SyntheticImage
{
    public static SourceImage Create(params byte[][] layers) => new()
    {
        Source = "synthetic",
        Layers = [.. layers.Select((blob, i) => new BlobLayer(new LayerInfo { Index = i, Digest = $"layer{i}" },
            _ => Task.FromResult<Stream>(new MemoryStream(blob, writable: false))))],
    };

    public static Task<ImageInventory> AnalyzeAsync(SourceImage image, AnalysisLimits? limits = null, IEnumerable<IFileAnalyzer>? analyzers = null,
        IEnumerable<Bulwark.Analysis.Inspection.IContentInspector>? inspectors = null, AnalysisOptions? options = null) =>
        new ImageAnalyzer(analyzers, (options ?? new AnalysisOptions()) with { Limits = limits ?? options?.Limits ?? AnalysisLimits.Default }, inspectors)
            .AnalyzeAsync(image, CancellationToken.None);

    /// <summary>A layer tar built by <paramref name="build"/>.</summary>
    public static byte[] Tar(Action<TarBuilder> build)
    {
        using var builder = new TarBuilder();
        build(builder);
        return builder.ToArray();
    }
}
