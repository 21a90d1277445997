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

    public static Task<ImageInventory> AnalyzeAsync(SourceImage image, AnalysisLimits? limits = null, IEnumerable<IFileAnalyzer>? analyzers = null) =>
        new ImageAnalyzer(analyzers, new AnalysisOptions { Limits = limits ?? AnalysisLimits.Default }).AnalyzeAsync(image, CancellationToken.None);
}
