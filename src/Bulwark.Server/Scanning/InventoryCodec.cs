using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Bulwark.Analysis.Configuration;
using Bulwark.Analysis.Executables;
using Bulwark.Analysis.Inventory;
using Bulwark.Oci;

namespace Bulwark.Server.Scanning;

/// <summary>Stored inventories: JSON, gzip-compressed (package lists compress about tenfold).</summary>
public static class InventoryCodec
{
    /// <summary>Largest inventory JSON accepted back from the database (a bound on decompression).</summary>
    public const long MaxJsonBytes = 256L * 1024 * 1024;

    public static byte[] Encode(ImageInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, inventory, ScanJsonContext.Default.ImageInventory);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The inventory trimmed to what matching reads (<see cref="ScanMatchInputEntity"/>): packages without their file
    /// lists, licenses and dependency lists; no files, executables, secrets, image config or config findings. Matching it
    /// gives exactly the outcome of matching the whole inventory; <see cref="Decode(byte[])"/> reads it back.
    /// </summary>
    public static byte[] EncodeForMatching(ImageInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return Encode(inventory with
        {
            Config = null,
            Files = [],
            Executables = [],
            Secrets = [],
            ConfigFindings = [],
            Packages = [.. inventory.Packages.Select(p => p.Files.Count == 0 && p.Licenses.Count == 0 && p.DependsOn.Count == 0 ? p : p with
            {
                Files = [],
                Licenses = [],
                DependsOn = [],
            })],
        });
    }

    // What matching never reads, and what makes up most of a stored inventory: every file path of every OS package,
    // every executable with its digest, the image config and its findings. Left out when re-matching.
    private static readonly JsonSerializerOptions MatchingOptions = new(ScanJsonContext.Default.Options)
    {
        TypeInfoResolver = ScanJsonContext.Default.WithAddedModifier(LeaveOutWhatMatchingDoesNotRead),
    };

    public static ImageInventory Decode(byte[] stored) => Decode(stored, ScanJsonContext.Default.ImageInventory);

    /// <summary>
    /// The inventory as matching needs it: packages without their file lists and licenses, no files, executables, image
    /// config or config findings (those stay empty). A re-match reads an image's matching input instead
    /// (<see cref="EncodeForMatching"/>) and decodes its whole inventory this way only when it has none yet.
    /// </summary>
    public static ImageInventory DecodeForMatching(byte[] stored) =>
        Decode(stored, (JsonTypeInfo<ImageInventory>)MatchingOptions.GetTypeInfo(typeof(ImageInventory)));

    // The properties stay (the inventory types bind them through their constructors); their values are skipped unread.
    private static void LeaveOutWhatMatchingDoesNotRead(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            property.CustomConverter = (info.Type.Name, property.Name) switch
            {
                (nameof(Package), "files" or "licenses") => new SkippedValueConverter<IReadOnlyList<string>>([]),
                (nameof(ImageInventory), "files") => new SkippedValueConverter<IReadOnlyList<InventoryFile>>([]),
                (nameof(ImageInventory), "executables") => new SkippedValueConverter<IReadOnlyList<Executable>>([]),
                (nameof(ImageInventory), "configFindings") => new SkippedValueConverter<IReadOnlyList<ConfigFinding>>([]),
                (nameof(ImageInventory), "config") => new SkippedValueConverter<ImageConfig?>(null),
                _ => property.CustomConverter,
            };
        }
    }

    private static ImageInventory Decode(byte[] stored, JsonTypeInfo<ImageInventory> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(stored);
        // A re-match decodes every stored inventory (≈1 MiB of JSON each): the JSON goes into a pooled buffer sized from
        // the gzip trailer (ISIZE, the uncompressed length mod 2^32, at most deflate's ~1032:1 ratio), not into a growing
        // MemoryStream whose doubling copies land on the large object heap. The size is only a hint; the buffer grows.
        var hint = stored.Length >= 18 ? Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(stored.AsSpan(stored.Length - 4)), stored.Length * 1032L) : 0;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(hint + 1, 4096, MaxJsonBytes + 1));
        try
        {
            using var gzip = new GZipStream(new MemoryStream(stored, writable: false), CompressionMode.Decompress);
            var length = 0;
            int read;
            while ((read = gzip.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
                if (length > MaxJsonBytes)
                {
                    throw new InvalidDataException($"stored inventory is larger than {MaxJsonBytes} bytes");
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, MaxJsonBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return JsonSerializer.Deserialize(buffer.AsSpan(0, length), typeInfo)
                ?? throw new InvalidDataException("stored inventory is empty");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
