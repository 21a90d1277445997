using System.Buffers.Binary;
using System.Text;

namespace Bulwark.Analysis.Packages.Rpm;

/// <summary>
/// Decodes an RPM header blob as the package databases store it (no lead or magic): big-endian index count and
/// data length, then 16-byte index entries (tag, type, offset, count) into a data store (rpm lib/header.c,
/// "Header blob format"). Every offset and count is checked against the blob before use.
/// </summary>
public static class RpmHeaderDecoder
{
    private const int TagName = 1000;
    private const int TagVersion = 1001;
    private const int TagRelease = 1002;
    private const int TagEpoch = 1003;
    private const int TagVendor = 1011;
    private const int TagLicense = 1014;
    private const int TagArch = 1022;
    private const int TagOldFilenames = 1027;
    private const int TagSourceRpm = 1044;
    private const int TagDirIndexes = 1116;
    private const int TagBasenames = 1117;
    private const int TagDirnames = 1118;
    private const int TagModularityLabel = 5096;

    private const uint TypeInt32 = 4;
    private const uint TypeString = 6;
    private const uint TypeStringArray = 8;
    private const uint TypeI18nString = 9;

    // rpm's own caps (HEADER_TAGS_MAX, HEADER_DATA_MAX): a header claiming more is corrupt.
    private const int MaxIndexEntries = 0xffff;
    private const int MaxDataLength = 0x0fffffff;

    /// <exception cref="PackageDatabaseException">The blob is not a valid header.</exception>
    public static RpmPackageRecord Decode(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 8)
        {
            throw new PackageDatabaseException("RPM header is shorter than 8 bytes");
        }

        var indexCount = BinaryPrimitives.ReadInt32BigEndian(blob);
        var dataLength = BinaryPrimitives.ReadInt32BigEndian(blob[4..]);
        if (indexCount is <= 0 or > MaxIndexEntries || dataLength is < 0 or > MaxDataLength
            || 8L + (16L * indexCount) + dataLength > blob.Length)
        {
            throw new PackageDatabaseException($"RPM header claims {indexCount} entries and {dataLength} data bytes in a {blob.Length}-byte blob");
        }

        var index = blob.Slice(8, 16 * indexCount);
        var data = blob.Slice(8 + (16 * indexCount), dataLength);
        string? name = null, version = null, release = null, license = null, arch = null, sourceRpm = null, vendor = null, modularity = null;
        int? epoch = null;
        string[]? basenames = null, dirnames = null, oldFilenames = null;
        int[]? dirIndexes = null;
        for (var i = 0; i < indexCount; i++)
        {
            var entry = index.Slice(16 * i, 16);
            var tag = BinaryPrimitives.ReadInt32BigEndian(entry);
            var type = BinaryPrimitives.ReadUInt32BigEndian(entry[4..]);
            var offset = BinaryPrimitives.ReadInt32BigEndian(entry[8..]);
            var count = BinaryPrimitives.ReadInt32BigEndian(entry[12..]);
            if (offset < 0 || offset > dataLength || count < 0)
            {
                throw new PackageDatabaseException($"RPM header entry for tag {tag} points outside the data");
            }

            switch (tag)
            {
                case TagName: name = ReadString(data, offset, type, tag); break;
                case TagVersion: version = ReadString(data, offset, type, tag); break;
                case TagRelease: release = ReadString(data, offset, type, tag); break;
                case TagLicense: license = ReadString(data, offset, type, tag); break;
                case TagArch: arch = ReadString(data, offset, type, tag); break;
                case TagSourceRpm: sourceRpm = ReadString(data, offset, type, tag); break;
                case TagVendor: vendor = ReadString(data, offset, type, tag); break;
                case TagModularityLabel: modularity = ReadString(data, offset, type, tag); break;
                case TagEpoch: epoch = ReadInt32Array(data, offset, 1, type, tag)[0]; break;
                case TagBasenames: basenames = ReadStringArray(data, offset, count, type, tag); break;
                case TagDirnames: dirnames = ReadStringArray(data, offset, count, type, tag); break;
                case TagOldFilenames: oldFilenames = ReadStringArray(data, offset, count, type, tag); break;
                case TagDirIndexes: dirIndexes = ReadInt32Array(data, offset, count, type, tag); break;
            }
        }

        if (name is null || version is null || release is null)
        {
            throw new PackageDatabaseException("RPM header lacks name, version or release");
        }

        return new RpmPackageRecord
        {
            Name = name,
            Version = version,
            Release = release,
            Epoch = epoch,
            Architecture = arch,
            SourceRpm = sourceRpm,
            License = license,
            Vendor = vendor,
            ModularityLabel = modularity,
            Files = Files(basenames, dirnames, dirIndexes, oldFilenames),
        };
    }

    private static string[] Files(string[]? basenames, string[]? dirnames, int[]? dirIndexes, string[]? oldFilenames)
    {
        if (basenames is null || dirnames is null || dirIndexes is null)
        {
            return oldFilenames ?? [];
        }

        if (dirIndexes.Length != basenames.Length)
        {
            throw new PackageDatabaseException("RPM header has different numbers of base names and directory indexes");
        }

        var files = new string[basenames.Length];
        for (var i = 0; i < basenames.Length; i++)
        {
            if (dirIndexes[i] < 0 || dirIndexes[i] >= dirnames.Length)
            {
                throw new PackageDatabaseException("RPM header has a directory index out of range");
            }

            files[i] = dirnames[dirIndexes[i]] + basenames[i];
        }

        return files;
    }

    private static string ReadString(ReadOnlySpan<byte> data, int offset, uint type, int tag)
    {
        if (type is not (TypeString or TypeI18nString or TypeStringArray))
        {
            throw new PackageDatabaseException($"RPM header tag {tag} has type {type}, not a string");
        }

        var end = data[offset..].IndexOf((byte)0);
        if (end < 0)
        {
            throw new PackageDatabaseException($"RPM header string for tag {tag} is not terminated");
        }

        return Encoding.UTF8.GetString(data.Slice(offset, end));
    }

    private static string[] ReadStringArray(ReadOnlySpan<byte> data, int offset, int count, uint type, int tag)
    {
        if (type is not (TypeStringArray or TypeI18nString))
        {
            throw new PackageDatabaseException($"RPM header tag {tag} has type {type}, not a string array");
        }

        if (count > data.Length - offset)
        {
            throw new PackageDatabaseException($"RPM header tag {tag} claims {count} strings in {data.Length - offset} bytes");
        }

        var strings = new string[count];
        var position = offset;
        for (var i = 0; i < count; i++)
        {
            var end = position < data.Length ? data[position..].IndexOf((byte)0) : -1;
            if (end < 0)
            {
                throw new PackageDatabaseException($"RPM header string array for tag {tag} is truncated");
            }

            strings[i] = Encoding.UTF8.GetString(data.Slice(position, end));
            position += end + 1;
        }

        return strings;
    }

    private static int[] ReadInt32Array(ReadOnlySpan<byte> data, int offset, int count, uint type, int tag)
    {
        if (type != TypeInt32 || (long)offset + (4L * count) > data.Length || count == 0)
        {
            throw new PackageDatabaseException($"RPM header tag {tag} is not a valid INT32 array");
        }

        var values = new int[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32BigEndian(data[(offset + (4 * i))..]);
        }

        return values;
    }
}
