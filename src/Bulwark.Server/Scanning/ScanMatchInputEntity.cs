namespace Bulwark.Server.Scanning;

/// <summary>
/// The part of an image's stored inventory that matching reads (<see cref="InventoryCodec.EncodeForMatching"/>: packages
/// without their file lists, layers, operating system, warnings — a few KiB compressed, against ≈90 KiB for the whole
/// inventory), written with the inventory. A re-match decodes this instead of the whole inventory; images stored before
/// it existed get it at their next re-match.
/// </summary>
public sealed class ScanMatchInputEntity
{
    public required string ManifestDigest { get; set; }

    /// <summary>Gzip JSON of the trimmed inventory (<see cref="InventoryCodec"/>).</summary>
    public required byte[] Inventory { get; set; }
}
