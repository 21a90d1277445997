using System.Buffers.Binary;

namespace Bulwark.Analysis.Packages.Rpm;

/// <summary>
/// Reads the header blobs of an rpm NDB database (<c>Packages.db</c>, SUSE since SLE 15 SP3; rpm
/// lib/backend/ndb/rpmpkg.c): a 32-byte header (magic <c>RpmP</c>, version 0, generation, slot page count), slot
/// pages of 16-byte slots (magic <c>Slot</c>, package index, block offset, block count; the header takes the
/// first two), and blobs at block offsets in 16-byte blocks, each with a 16-byte header (magic <c>BlbS</c>,
/// package index, checksum, length). All little-endian.
/// </summary>
public static class NdbPackagesReader
{
    private const uint HeaderMagic = 'R' | ('p' << 8) | ('m' << 16) | ((uint)'P' << 24);
    private const uint SlotMagic = 'S' | ('l' << 8) | ('o' << 16) | ((uint)'t' << 24);
    private const uint BlobMagic = 'B' | ('l' << 8) | ('b' << 16) | ((uint)'S' << 24);
    private const int SlotSize = 16;
    private const int SlotPageSize = 4096;
    private const int BlockSize = 16;
    private const int MaxSlotPages = 2048;

    public static bool IsNdb(ReadOnlySpan<byte> head) => head.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(head) == HeaderMagic;

    public static IEnumerable<byte[]> ReadBlobs(Stream file)
    {
        var header = new byte[32];
        file.Position = 0;
        if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) != header.Length || !IsNdb(header))
        {
            throw new PackageDatabaseException("not an rpm NDB database (bad magic)");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        var slotPages = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        if (version != 0 || slotPages is 0 or > MaxSlotPages || (long)slotPages * SlotPageSize > file.Length)
        {
            throw new PackageDatabaseException($"rpm NDB header is invalid (version {version}, {slotPages} slot pages)");
        }

        var slots = new byte[(int)slotPages * SlotPageSize];
        file.Position = 0;
        file.ReadExactly(slots);
        var blobHeader = new byte[16];
        for (var offset = 2 * SlotSize; offset < slots.Length; offset += SlotSize)
        {
            var slot = slots.AsSpan(offset, SlotSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(slot) != SlotMagic)
            {
                throw new PackageDatabaseException($"rpm NDB slot at {offset} has a bad magic");
            }

            var packageIndex = BinaryPrimitives.ReadUInt32LittleEndian(slot[4..]);
            if (packageIndex == 0)
            {
                continue;
            }

            var blockOffset = BinaryPrimitives.ReadUInt32LittleEndian(slot[8..]);
            var blockCount = BinaryPrimitives.ReadUInt32LittleEndian(slot[12..]);
            var start = (long)blockOffset * BlockSize;
            if (start + BlockSize > file.Length || start + ((long)blockCount * BlockSize) > file.Length)
            {
                throw new PackageDatabaseException($"rpm NDB package {packageIndex} points outside the file");
            }

            file.Position = start;
            file.ReadExactly(blobHeader);
            if (BinaryPrimitives.ReadUInt32LittleEndian(blobHeader) != BlobMagic
                || BinaryPrimitives.ReadUInt32LittleEndian(blobHeader.AsSpan(4)) != packageIndex)
            {
                throw new PackageDatabaseException($"rpm NDB blob of package {packageIndex} has a bad header");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(blobHeader.AsSpan(12));
            if (length > ((long)blockCount * BlockSize) - 16 || start + 16 + length > file.Length)
            {
                throw new PackageDatabaseException($"rpm NDB blob of package {packageIndex} is longer than its blocks");
            }

            var blob = new byte[length];
            file.ReadExactly(blob);
            yield return blob;
        }
    }
}
