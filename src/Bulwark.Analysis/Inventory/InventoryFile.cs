namespace Bulwark.Analysis.Inventory;

/// <summary>A file of the final view that an analyzer read.</summary>
public sealed record InventoryFile
{
    public required string Path { get; init; }

    public required long Size { get; init; }

    /// <summary>The layer the final version of the file came from.</summary>
    public required int LayerIndex { get; init; }

    public required string Sha256 { get; init; }
}
