namespace Bulwark.Server.Scanning;

/// <summary>A stored inventory as read back for re-matching: its manifest digest and the gzip JSON (<see cref="InventoryCodec"/>).</summary>
public sealed record StoredInventory(string Digest, byte[] Inventory);
