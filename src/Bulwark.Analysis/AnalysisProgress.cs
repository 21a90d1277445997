namespace Bulwark.Analysis;

/// <summary>Where an analysis is: which layer it reads and how many uncompressed bytes it has read so far.</summary>
/// <param name="Image">Index of the image being analysed among those the source resolved to (one per platform).</param>
/// <param name="Layer">Index of the layer being read, from the base.</param>
/// <param name="LayerCount">Layers of the image.</param>
/// <param name="BytesRead">Uncompressed bytes read so far in this pass over the image's layers.</param>
/// <param name="Pass">1 for the main read, 2 for the second read of link targets (rare).</param>
/// <param name="LayerDone">True when the report closes a layer.</param>
public readonly record struct AnalysisProgress(int Image, int Layer, int LayerCount, long BytesRead, int Pass, bool LayerDone);
