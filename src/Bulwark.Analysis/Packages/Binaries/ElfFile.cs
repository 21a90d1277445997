using System.Buffers.Binary;
using System.Text;

namespace Bulwark.Analysis.Packages.Binaries;

/// <summary>
/// The section and program headers of an ELF file (System V gABI, 32/64-bit, either byte order), read from a
/// seekable stream with every offset and size checked against the stream's length.
/// </summary>
public sealed class ElfFile
{
    /// <summary>The section-name string table is read whole; real ones are a few hundred bytes.</summary>
    private const int MaxNameTableBytes = 1024 * 1024;

    private readonly Stream stream;

    private ElfFile(Stream stream, bool is64, bool littleEndian)
    {
        this.stream = stream;
        Is64 = is64;
        LittleEndian = littleEndian;
    }

    public bool Is64 { get; }

    public bool LittleEndian { get; }

    public IReadOnlyList<ElfSection> Sections { get; private set; } = [];

    public IReadOnlyList<ElfSegment> Segments { get; private set; } = [];

    public int PointerSize => Is64 ? 8 : 4;

    public sealed record ElfSection(string Name, ulong Address, long Offset, long Size, uint Type);

    public sealed record ElfSegment(uint Type, uint Flags, long Offset, ulong Address, long FileSize);

    /// <summary>The ELF headers of <paramref name="stream"/>, or null when it is not an ELF file or its headers do not fit in it.</summary>
    public static ElfFile? TryRead(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || stream.Length < 52)
        {
            return null;
        }

        var ident = new byte[64];
        stream.Position = 0;
        var identLength = (int)Math.Min(64, stream.Length);
        stream.ReadExactly(ident, 0, identLength);
        if (ident[0] != 0x7f || ident[1] != (byte)'E' || ident[2] != (byte)'L' || ident[3] != (byte)'F' || ident[4] is not (1 or 2) || ident[5] is not (1 or 2))
        {
            return null;
        }

        var elf = new ElfFile(stream, ident[4] == 2, ident[5] == 1);
        if (elf.Is64 && identLength < 64)
        {
            return null;
        }

        var header = ident.AsSpan();
        long phoff, shoff;
        int phentsize, phnum, shentsize, shnum, shstrndx;
        if (elf.Is64)
        {
            phoff = (long)Math.Min(elf.U64(header[32..]), long.MaxValue);
            shoff = (long)Math.Min(elf.U64(header[40..]), long.MaxValue);
            phentsize = elf.U16(header[54..]);
            phnum = elf.U16(header[56..]);
            shentsize = elf.U16(header[58..]);
            shnum = elf.U16(header[60..]);
            shstrndx = elf.U16(header[62..]);
        }
        else
        {
            phoff = elf.U32(header[28..]);
            shoff = elf.U32(header[32..]);
            phentsize = elf.U16(header[42..]);
            phnum = elf.U16(header[44..]);
            shentsize = elf.U16(header[46..]);
            shnum = elf.U16(header[48..]);
            shstrndx = elf.U16(header[50..]);
        }

        elf.Segments = elf.ReadSegments(phoff, phentsize, phnum);
        elf.Sections = elf.ReadSections(shoff, shentsize, shnum, shstrndx);
        return elf;
    }

    /// <summary>The first section named <paramref name="name"/> that has bytes in the file.</summary>
    public ElfSection? FindSection(string name) => Sections.FirstOrDefault(s => s.Name == name && s.Type != 8 /* SHT_NOBITS */);

    /// <summary>Reads <paramref name="length"/> bytes at a file offset; null when out of the file.</summary>
    public byte[]? ReadAt(long offset, long length)
    {
        if (offset < 0 || length < 0 || length > int.MaxValue || offset > stream.Length - length)
        {
            return null;
        }

        var buffer = new byte[length];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Reads bytes at a virtual address through the PT_LOAD segment holding it; null when unmapped or out of the file.</summary>
    public byte[]? ReadAtAddress(ulong address, long length)
    {
        foreach (var segment in Segments)
        {
            if (segment.Type == 1 && address >= segment.Address && address - segment.Address <= (ulong)segment.FileSize
                && (ulong)length <= (ulong)segment.FileSize - (address - segment.Address))
            {
                return ReadAt(segment.Offset + (long)(address - segment.Address), length);
            }
        }

        return null;
    }

    public ulong ReadPointer(ReadOnlySpan<byte> bytes) => Is64 ? U64(bytes) : U32(bytes);

    private List<ElfSegment> ReadSegments(long offset, int entrySize, int count)
    {
        var minimum = Is64 ? 56 : 32;
        if (count == 0 || entrySize < minimum || entrySize > 256 || ReadAt(offset, (long)entrySize * count) is not { } table)
        {
            return [];
        }

        var segments = new List<ElfSegment>(count);
        for (var i = 0; i < count; i++)
        {
            var e = table.AsSpan(i * entrySize, entrySize);
            segments.Add(Is64
                ? new ElfSegment(U32(e), U32(e[4..]), (long)Math.Min(U64(e[8..]), long.MaxValue), U64(e[16..]), (long)Math.Min(U64(e[32..]), long.MaxValue))
                : new ElfSegment(U32(e), U32(e[24..]), U32(e[4..]), U32(e[8..]), U32(e[16..])));
        }

        return segments;
    }

    private List<ElfSection> ReadSections(long offset, int entrySize, int count, int namesIndex)
    {
        var minimum = Is64 ? 64 : 40;
        if (count == 0 || entrySize < minimum || entrySize > 256 || namesIndex >= count || ReadAt(offset, (long)entrySize * count) is not { } table)
        {
            return [];
        }

        var raw = new List<(uint Name, uint Type, ulong Address, long Offset, long Size)>(count);
        for (var i = 0; i < count; i++)
        {
            var e = table.AsSpan(i * entrySize, entrySize);
            raw.Add(Is64
                ? (U32(e), U32(e[4..]), U64(e[16..]), (long)Math.Min(U64(e[24..]), long.MaxValue), (long)Math.Min(U64(e[32..]), long.MaxValue))
                : (U32(e), U32(e[4..]), U32(e[12..]), U32(e[16..]), U32(e[20..])));
        }

        var names = raw[namesIndex].Size <= MaxNameTableBytes ? ReadAt(raw[namesIndex].Offset, raw[namesIndex].Size) : null;
        return [.. raw.Select(s => new ElfSection(NameAt(names, s.Name), s.Address, s.Offset, s.Size, s.Type))];
    }

    private static string NameAt(byte[]? names, uint offset)
    {
        if (names is null || offset >= names.Length)
        {
            return "";
        }

        var end = Array.IndexOf(names, (byte)0, (int)offset);
        return Encoding.ASCII.GetString(names, (int)offset, (end < 0 ? names.Length : end) - (int)offset);
    }

    private ushort U16(ReadOnlySpan<byte> b) => LittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private uint U32(ReadOnlySpan<byte> b) => LittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

    private ulong U64(ReadOnlySpan<byte> b) => LittleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);
}
