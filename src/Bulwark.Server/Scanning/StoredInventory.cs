namespace Bulwark.Server.Scanning;

/// <summary>
/// A stored image as a re-match reads it back: its manifest digest and gzip JSON (<see cref="InventoryCodec"/>) — its
/// matching input (<see cref="ScanMatchInputEntity"/>) when <see cref="IsMatchInput"/>, else the whole inventory (an image
/// stored before matching inputs existed).
/// </summary>
public sealed record StoredInventory(string Digest, byte[] Inventory, bool IsMatchInput = false);
