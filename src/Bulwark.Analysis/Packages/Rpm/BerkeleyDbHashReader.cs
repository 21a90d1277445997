using System.Buffers.Binary;

namespace Bulwark.Analysis.Packages.Rpm;

/// <summary>
/// Reads the values of a Berkeley DB hash database (the rpm <c>Packages</c> file of RHEL ≤ 8, CentOS, Amazon
/// Linux 2, SLES ≤ 15 SP2). Layout from libdb's <c>dbinc/db_page.h</c>: a hash metadata page (magic
/// <c>0x061561</c>, page size, last page number), hash pages whose item index holds key/value pairs, values stored
/// on the page (<c>H_KEYDATA</c>) or in a chain of overflow pages (<c>H_OFFPAGE</c>). Byte order follows the
/// magic. Every page number, offset and length is checked, and chains are bounded, so a corrupt file ends in
/// <see cref="PackageDatabaseException"/>, not a hang.
/// </summary>
public static class BerkeleyDbHashReader
{
    private const uint HashMagic = 0x061561;
    private const int PageHeaderSize = 26;
    private const byte PageTypeHashUnsorted = 2;
    private const byte PageTypeOverflow = 7;
    private const byte PageTypeHashMeta = 8;
    private const byte PageTypeHash = 13;
    private const byte ItemKeyData = 1;
    private const byte ItemOffPage = 3;

    public static bool IsBerkeleyDbHash(ReadOnlySpan<byte> head) =>
        head.Length >= 16 && (BinaryPrimitives.ReadUInt32LittleEndian(head[12..]) == HashMagic || BinaryPrimitives.ReadUInt32BigEndian(head[12..]) == HashMagic);

    /// <summary>Every value of the database, in page order.</summary>
    public static IEnumerable<byte[]> ReadValues(Stream file)
    {
        var meta = new byte[512];
        if (ReadAt(file, 0, meta) < 72)
        {
            throw new PackageDatabaseException("Berkeley DB file is shorter than its metadata page");
        }

        var bigEndian = BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(12)) != HashMagic;
        if (bigEndian && BinaryPrimitives.ReadUInt32BigEndian(meta.AsSpan(12)) != HashMagic)
        {
            throw new PackageDatabaseException("not a Berkeley DB hash database (bad magic)");
        }

        var pageSize = U32(meta, 20, bigEndian);
        if (pageSize is < 512 or > 65536 || (pageSize & (pageSize - 1)) != 0)
        {
            throw new PackageDatabaseException($"Berkeley DB page size {pageSize} is invalid");
        }

        if (meta[24] != 0)
        {
            throw new PackageDatabaseException("Berkeley DB database is encrypted");
        }

        if (meta[25] != PageTypeHashMeta)
        {
            throw new PackageDatabaseException($"Berkeley DB metadata page has type {meta[25]}, not hash metadata");
        }

        var lastPage = U32(meta, 32, bigEndian);
        var pageCount = file.Length / pageSize;
        if (lastPage >= pageCount)
        {
            throw new PackageDatabaseException($"Berkeley DB claims {lastPage + 1} pages but the file holds {pageCount}");
        }

        var page = new byte[pageSize];
        for (uint number = 1; number <= lastPage; number++)
        {
            ReadPage(file, number, page);
            var type = page[25];
            if (type is not (PageTypeHash or PageTypeHashUnsorted))
            {
                continue;
            }

            int entries = U16(page, 20, bigEndian);
            if (PageHeaderSize + (2 * entries) > pageSize)
            {
                throw new PackageDatabaseException($"Berkeley DB page {number} claims {entries} items");
            }

            // Items come in key/value pairs; values are the odd ones.
            for (var item = 1; item < entries; item += 2)
            {
                int offset = U16(page, PageHeaderSize + (2 * item), bigEndian);
                // libdb LEN_HITEM: an item runs to the start of the previous one (items grow down from the page end).
                int end = item == 0 ? (int)pageSize : U16(page, PageHeaderSize + (2 * (item - 1)), bigEndian);
                if (offset < PageHeaderSize + (2 * entries) || offset >= pageSize || end > pageSize || end <= offset)
                {
                    throw new PackageDatabaseException($"Berkeley DB page {number} item {item} is out of bounds");
                }

                switch (page[offset])
                {
                    case ItemKeyData:
                        yield return page.AsSpan(offset + 1, end - offset - 1).ToArray();
                        break;
                    case ItemOffPage when end - offset >= 12:
                        var firstPage = U32(page, offset + 4, bigEndian);
                        var totalLength = U32(page, offset + 8, bigEndian);
                        yield return ReadOverflow(file, firstPage, totalLength, lastPage, pageSize, bigEndian);
                        break;
                }
            }
        }
    }

    private static byte[] ReadOverflow(Stream file, uint first, uint totalLength, uint lastPage, uint pageSize, bool bigEndian)
    {
        if (totalLength > (ulong)(lastPage + 1) * pageSize)
        {
            throw new PackageDatabaseException($"Berkeley DB overflow item claims {totalLength} bytes, more than the file");
        }

        var value = new byte[totalLength];
        var filled = 0;
        var page = new byte[pageSize];
        var hops = 0u;
        for (var number = first; number != 0 && filled < totalLength; hops++)
        {
            if (number > lastPage || hops > lastPage)
            {
                throw new PackageDatabaseException("Berkeley DB overflow chain leaves the file or loops");
            }

            ReadPage(file, number, page);
            if (page[25] != PageTypeOverflow)
            {
                throw new PackageDatabaseException($"Berkeley DB page {number} in an overflow chain has type {page[25]}");
            }

            // db_page.h OV_LEN: on overflow pages hf_offset holds the number of data bytes on the page.
            int length = U16(page, 22, bigEndian);
            if (length > pageSize - PageHeaderSize || filled + length > totalLength)
            {
                throw new PackageDatabaseException($"Berkeley DB overflow page {number} has an invalid length");
            }

            page.AsSpan(PageHeaderSize, length).CopyTo(value.AsSpan(filled));
            filled += length;
            number = U32(page, 16, bigEndian);
        }

        if (filled != totalLength)
        {
            throw new PackageDatabaseException("Berkeley DB overflow chain is shorter than its item");
        }

        return value;
    }

    private static void ReadPage(Stream file, uint number, byte[] page)
    {
        if (ReadAt(file, (long)number * page.Length, page) != page.Length)
        {
            throw new PackageDatabaseException($"Berkeley DB page {number} is truncated");
        }
    }

    private static int ReadAt(Stream file, long position, byte[] buffer)
    {
        file.Position = position;
        return file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
    }

    private static uint U32(byte[] buffer, int offset, bool bigEndian) => bigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(offset))
        : BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset));

    private static ushort U16(byte[] buffer, int offset, bool bigEndian) => bigEndian
        ? BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(offset))
        : BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(offset));
}
