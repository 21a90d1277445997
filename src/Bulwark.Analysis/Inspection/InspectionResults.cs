namespace Bulwark.Analysis.Inspection;

/// <summary>
/// The results of the content inspectors over all layers: the final-view results (what survived later layers,
/// whiteouts and opaque directories) and the every-layer results.
/// </summary>
public sealed class InspectionResults
{
    private readonly Dictionary<string, FinalEntry> final = new(StringComparer.Ordinal);
    private readonly List<InspectionResult<object>> layers = [];

    /// <summary>The final-view results of type <typeparamref name="T"/>, in path order.</summary>
    public IReadOnlyList<InspectionResult<T>> FinalView<T>() =>
        [.. final.OrderBy(e => e.Key, StringComparer.Ordinal)
            .SelectMany(e => e.Value.Values.OfType<T>().Select(v => new InspectionResult<T>(e.Key, e.Value.Layer, v)))];

    /// <summary>The every-layer results of type <typeparamref name="T"/>, by layer then path.</summary>
    public IReadOnlyList<InspectionResult<T>> AllLayers<T>() =>
        [.. layers.Where(r => r.Value is T).OrderBy(r => r.LayerIndex).ThenBy(r => r.Path, StringComparer.Ordinal)
            .Select(r => new InspectionResult<T>(r.Path, r.LayerIndex, (T)r.Value))];

    internal void AddFinal(string path, int layer, object value)
    {
        if (!final.TryGetValue(path, out var entry) || entry.Layer != layer)
        {
            final[path] = entry = new FinalEntry(layer, []);
        }

        entry.Values.Add(value);
    }

    internal void AddLayer(string path, int layer, object value) => layers.Add(new InspectionResult<object>(path, layer, value));

    internal bool HasFinal(string path) => final.ContainsKey(path);

    internal int? FinalLayerOf(string path) => final.TryGetValue(path, out var entry) ? entry.Layer : null;

    internal void RemoveFinal(string path) => final.Remove(path);

    /// <summary>A hard link shows the same content under another path: copy the target's final-view results.</summary>
    internal bool CopyFinal(string target, string path, int layer)
    {
        if (!final.TryGetValue(target, out var entry))
        {
            return false;
        }

        final[path] = new FinalEntry(layer, [.. entry.Values]);
        return true;
    }

    private sealed record FinalEntry(int Layer, List<object> Values);
}
