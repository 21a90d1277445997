namespace Bulwark.Analysis.Inventory;

/// <summary>One layer of an image, in order from the base (index 0).</summary>
public sealed record LayerInfo
{
    public required int Index { get; init; }

    /// <summary>Digest of the layer blob as stored (compressed); null for a root filesystem directory.</summary>
    public string? Digest { get; init; }

    /// <summary>Digest of the uncompressed tar (the config's <c>rootfs.diff_ids</c> entry).</summary>
    public string? DiffId { get; init; }

    public string? MediaType { get; init; }

    public long? Size { get; init; }

    /// <summary>The build step from the config history (<c>created_by</c>), when the history lines up.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>True when the layer belongs to the base image; null when that is not known.</summary>
    public bool? InBaseImage { get; init; }
}
