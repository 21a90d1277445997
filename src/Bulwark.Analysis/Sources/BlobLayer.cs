using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Sources;

/// <summary>A layer stored as a (possibly compressed) tar blob that a source can open as often as needed.</summary>
public sealed class BlobLayer(LayerInfo info, Func<CancellationToken, Task<Stream>> open) : ISourceLayer
{
    public LayerInfo Info { get; } = info;

    public async IAsyncEnumerable<LayerEntry> ReadEntriesAsync(DecompressionBudget budget,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = await open(cancellationToken).ConfigureAwait(false);
        await foreach (var entry in TarLayerReader.ReadAsync(stream, budget, cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }
}
