using System.Text;
using Bulwark.Analysis.Packages.Binaries;

namespace Bulwark.Analysis.Packages.Golang;

/// <summary>
/// Reads the build information the Go linker embeds in every binary (Go's <c>debug/buildinfo</c>): a 32-byte
/// header starting <c>\xff Go buildinf:</c>, in the ELF section <c>.go.buildinfo</c> or, when sections are
/// stripped or the file is not ELF, 16-byte aligned in the data. Go 1.18+ stores the toolchain version and the
/// module info inline after the header as varint-length strings (flag bit 2); older toolchains store pointers to
/// Go string headers, which are followed through the ELF program headers.
/// </summary>
public static class GoBuildInfoReader
{
    /// <summary>Bytes read after the header: the version and the module info together.</summary>
    public const int MaxInfoBytes = 16 * 1024 * 1024;

    /// <summary>Bytes scanned for the header when there is no <c>.go.buildinfo</c> section.</summary>
    public const long MaxScanBytes = 256L * 1024 * 1024;

    public const int MaxDependencies = 100_000;

    private static readonly byte[] Magic = [0xff, .. " Go buildinf:"u8];

    // The module info is framed by these 16-byte sentinels (cmd/go/internal/modload.infoStart/infoEnd).
    private const int SentinelLength = 16;

    /// <summary>The build info of a seekable executable stream, or null when it has none (not Go) or it cannot be read.</summary>
    public static GoBuildInfo? TryRead(Stream executable)
    {
        ArgumentNullException.ThrowIfNull(executable);
        if (!executable.CanSeek)
        {
            throw new ArgumentException("the stream must be seekable", nameof(executable));
        }

        var elf = ElfFile.TryRead(executable);
        var headerOffset = -1L;
        if (elf?.FindSection(".go.buildinfo") is { } section && section.Size >= 32)
        {
            headerOffset = section.Offset;
        }
        else if (elf is not null)
        {
            foreach (var segment in elf.Segments.Where(s => s.Type == 1 && (s.Flags & 2) != 0))
            {
                headerOffset = Scan(executable, segment.Offset, Math.Min(segment.FileSize, MaxScanBytes));
                if (headerOffset >= 0)
                {
                    break;
                }
            }
        }
        else
        {
            headerOffset = Scan(executable, 0, Math.Min(executable.Length, MaxScanBytes));
        }

        if (headerOffset < 0 || headerOffset > executable.Length - 32)
        {
            return null;
        }

        var header = new byte[32];
        executable.Position = headerOffset;
        executable.ReadExactly(header);
        if (!header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return null;
        }

        var pointerSize = header[14];
        var flags = header[15];
        string? version, modInfo;
        if ((flags & 2) != 0)
        {
            var length = (int)Math.Min(executable.Length - headerOffset - 32, MaxInfoBytes);
            var data = new byte[length];
            executable.Position = headerOffset + 32;
            executable.ReadExactly(data);
            var position = 0;
            version = ReadVarString(data, ref position);
            modInfo = version is null ? null : ReadVarString(data, ref position);
        }
        else
        {
            if (elf is null || pointerSize is not (4 or 8) || pointerSize != elf.PointerSize)
            {
                return null;
            }

            version = ReadGoString(elf, elf.ReadPointer(header.AsSpan(16)));
            modInfo = ReadGoString(elf, elf.ReadPointer(header.AsSpan(16 + pointerSize)));
        }

        return string.IsNullOrEmpty(version) ? null : Parse(version, modInfo ?? "");
    }

    /// <summary>Parses the module info text (<c>path</c>, <c>mod</c>, <c>dep</c>, <c>=&gt;</c>, <c>build</c> lines, tab-separated).</summary>
    public static GoBuildInfo Parse(string goVersion, string modInfo)
    {
        if (modInfo.Length >= 2 * SentinelLength + 1 && modInfo[^(SentinelLength + 1)] == '\n')
        {
            modInfo = modInfo[SentinelLength..^SentinelLength];
        }

        string? path = null;
        GoModule? main = null;
        var dependencies = new List<GoModule>();
        var settings = new List<KeyValuePair<string, string>>();
        foreach (var line in modInfo.Split('\n'))
        {
            var fields = line.Split('\t');
            switch (fields[0])
            {
                case "path" when fields.Length >= 2:
                    path = fields[1];
                    break;
                case "mod" when fields.Length >= 3:
                    main = new GoModule(fields[1], fields[2], fields.Length > 3 ? fields[3] : null);
                    break;
                case "dep" when fields.Length >= 3 && dependencies.Count < MaxDependencies:
                    dependencies.Add(new GoModule(fields[1], fields[2], fields.Length > 3 ? fields[3] : null));
                    break;
                case "=>" when fields.Length >= 2:
                    var replacement = new GoModule(fields[1], fields.Length > 2 ? fields[2] : "", fields.Length > 3 ? fields[3] : null);
                    if (dependencies.Count > 0)
                    {
                        dependencies[^1] = dependencies[^1] with { Replace = replacement };
                    }
                    else if (main is not null)
                    {
                        main = main with { Replace = replacement };
                    }

                    break;
                case "build" when fields.Length >= 2:
                    var equals = fields[1].IndexOf('=', StringComparison.Ordinal);
                    settings.Add(equals < 0 ? new(fields[1], "") : new(fields[1][..equals], fields[1][(equals + 1)..].Trim('"')));
                    break;
            }
        }

        return new GoBuildInfo
        {
            GoVersion = goVersion.Split(' ')[0],
            Path = path,
            Main = main,
            Dependencies = dependencies,
            Settings = settings,
        };
    }

    /// <summary>
    /// The offset of the first 16-byte aligned header in the 1 MiB chunks that start at [start, start+length), or -1.
    /// One pooled buffer for the whole scan and a vectorised search for the magic (an ELF data segment is scanned for
    /// every executable without a <c>.go.buildinfo</c> section, which is nearly every non-Go binary of an image).
    /// </summary>
    private static long Scan(Stream stream, long start, long length)
    {
        const int chunkSize = 1024 * 1024;
        var buffer = AnalysisBuffers.Bytes.Rent(chunkSize + Magic.Length);
        try
        {
            // Align the first offset to 16 bytes of the file (the linker aligns the header in the section and so in the file).
            var offset = (start + 15) & ~15L;
            var end = Math.Min(start + length, stream.Length);
            while (offset < end)
            {
                var count = (int)Math.Min(chunkSize + Magic.Length, stream.Length - offset);
                stream.Position = offset;
                stream.ReadExactly(buffer, 0, count);
                // Candidates start below chunkSize (the next chunk covers the rest) and lie wholly in what was read.
                var window = buffer.AsSpan(0, Math.Min(count, chunkSize + Magic.Length - 1));
                var from = 0;
                while (from < window.Length)
                {
                    var hit = window[from..].IndexOf(Magic);
                    if (hit < 0)
                    {
                        break;
                    }

                    var i = from + hit;
                    if (i % 16 == 0)
                    {
                        return offset + i;
                    }

                    from = i + 1;
                }

                offset += chunkSize;
            }

            return -1;
        }
        finally
        {
            AnalysisBuffers.Bytes.Return(buffer);
        }
    }

    private static string? ReadVarString(byte[] data, ref int position)
    {
        ulong length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (position >= data.Length || shift > 63)
            {
                return null;
            }

            var b = data[position++];
            length |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        if (length > (ulong)(data.Length - position))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(data, position, (int)length);
        position += (int)length;
        return text;
    }

    /// <summary>A Go string header (data pointer, length) at <paramref name="address"/>, followed to its bytes.</summary>
    private static string? ReadGoString(ElfFile elf, ulong address)
    {
        var size = elf.PointerSize;
        if (elf.ReadAtAddress(address, 2 * size) is not { } header)
        {
            return null;
        }

        var data = elf.ReadPointer(header);
        var length = elf.ReadPointer(header.AsSpan(size));
        return length > MaxInfoBytes || elf.ReadAtAddress(data, (long)length) is not { } bytes ? null : Encoding.UTF8.GetString(bytes);
    }
}
