using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>Writes synthetic layer tars entry by entry, including names real tools would never write.</summary>
internal sealed class TarBuilder : IDisposable
{
    private readonly MemoryStream buffer = new();
    private readonly TarWriter writer;

    public TarBuilder(TarEntryFormat format = TarEntryFormat.Pax)
    {
        Format = format;
        writer = new TarWriter(buffer, format, leaveOpen: true);
    }

    public TarEntryFormat Format { get; }

    public TarBuilder File(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        File(name, Encoding.UTF8.GetBytes(content), mode);

    public TarBuilder File(string name, byte[] content, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        var entry = NewEntry(TarEntryType.RegularFile, name);
        entry.Mode = mode;
        entry.DataStream = new MemoryStream(content);
        writer.WriteEntry(entry);
        return this;
    }

    /// <summary>A file whose data is <paramref name="length"/> zero bytes, streamed (for bombs and size limits).</summary>
    public TarBuilder ZeroFile(string name, long length)
    {
        var entry = NewEntry(TarEntryType.RegularFile, name);
        entry.DataStream = new ZeroStream(length);
        writer.WriteEntry(entry);
        return this;
    }

    public TarBuilder Directory(string name, UnixFileMode mode = (UnixFileMode)0b111_101_101)
    {
        var entry = NewEntry(TarEntryType.Directory, name);
        entry.Mode = mode;
        writer.WriteEntry(entry);
        return this;
    }

    public TarBuilder Symlink(string name, string target)
    {
        var entry = NewEntry(TarEntryType.SymbolicLink, name);
        entry.LinkName = target;
        writer.WriteEntry(entry);
        return this;
    }

    public TarBuilder Hardlink(string name, string target)
    {
        var entry = NewEntry(TarEntryType.HardLink, name);
        entry.LinkName = target;
        writer.WriteEntry(entry);
        return this;
    }

    public TarBuilder Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        var name = slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..];
        return File(name, "");
    }

    public TarBuilder Opaque(string directory) => File(directory.TrimEnd('/') + "/.wh..wh..opq", "");

    private TarEntry NewEntry(TarEntryType type, string name) => Format switch
    {
        TarEntryFormat.Gnu => new GnuTarEntry(type, name),
        TarEntryFormat.Ustar => new UstarTarEntry(type, name),
        _ => new PaxTarEntry(type, name),
    };

    public byte[] ToArray()
    {
        writer.Dispose();
        return buffer.ToArray();
    }

    public void Dispose()
    {
        writer.Dispose();
        buffer.Dispose();
    }

    public static byte[] Gzip(byte[] tar)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        return output.ToArray();
    }

    public static byte[] Zstd(byte[] tar)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        return compressor.Wrap(tar).ToArray();
    }

    private sealed class ZeroStream(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            Array.Clear(buffer, offset, n);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
