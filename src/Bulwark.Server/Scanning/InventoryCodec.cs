using System.IO.Compression;
using System.Text.Json;
using Bulwark.Analysis.Inventory;

namespace Bulwark.Server.Scanning;

/// <summary>Stored inventories: JSON, gzip-compressed (package lists compress about tenfold).</summary>
public static class InventoryCodec
{
    /// <summary>Largest inventory JSON accepted back from the database (a bound on decompression).</summary>
    public const long MaxJsonBytes = 256L * 1024 * 1024;

    public static byte[] Encode(ImageInventory inventory)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, inventory, ScanJsonContext.Default.ImageInventory);
        }

        return buffer.ToArray();
    }

    public static ImageInventory Decode(byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        using var gzip = new GZipStream(new MemoryStream(stored, writable: false), CompressionMode.Decompress);
        using var bounded = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = gzip.Read(buffer)) > 0)
        {
            if (bounded.Length + read > MaxJsonBytes)
            {
                throw new InvalidDataException($"stored inventory is larger than {MaxJsonBytes} bytes");
            }

            bounded.Write(buffer, 0, read);
        }

        bounded.Position = 0;
        return JsonSerializer.Deserialize(bounded, ScanJsonContext.Default.ImageInventory)
            ?? throw new InvalidDataException("stored inventory is empty");
    }
}
