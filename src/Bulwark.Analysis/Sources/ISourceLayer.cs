using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Sources;

/// <summary>One layer of a source image: what is known about it and a way to stream its entries (repeatable).</summary>
public interface ISourceLayer
{
    LayerInfo Info { get; }

    IAsyncEnumerable<LayerEntry> ReadEntriesAsync(DecompressionBudget budget, CancellationToken cancellationToken);
}
