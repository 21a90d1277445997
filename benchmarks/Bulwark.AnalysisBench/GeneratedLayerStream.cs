using System.Text;

namespace Bulwark.AnalysisBench;

/// <summary>
/// An uncompressed layer tar produced on the fly: a dpkg status file and one large file of pseudo-random bytes,
/// so that a multi-GiB layer can be analysed without storing it anywhere.
/// </summary>
internal sealed class GeneratedLayerStream : Stream
{
    private readonly byte[] prefix;
    private readonly long bigSize;
    private readonly long total;
    private long position;

    public GeneratedLayerStream(long bigSize)
    {
        this.bigSize = bigSize;
        var status = Encoding.UTF8.GetBytes("Package: big\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n\n");
        using var head = new MemoryStream();
        WriteHeader(head, "var/lib/dpkg/status", status.Length);
        head.Write(status);
        Pad(head, status.Length);
        WriteHeader(head, "srv/big.bin", bigSize);
        prefix = head.ToArray();
        total = prefix.Length + bigSize + ((512 - (bigSize % 512)) % 512) + 1024;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => total;

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, total - position);
        for (var i = 0; i < n; i++)
        {
            var at = position + i;
            buffer[i] = at < prefix.Length ? prefix[at]
                : at < prefix.Length + bigSize ? (byte)((at * 2654435761L) >> 13)
                : (byte)0;
        }

        position += n;
        return n;
    }

    private static void WriteHeader(Stream stream, string name, long size)
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = (byte)'0';
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        "        "u8.CopyTo(header.AsSpan(148));
        var checksum = header.Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        stream.Write(header);
    }

    private static void Pad(Stream stream, long size) => stream.Write(new byte[(512 - (size % 512)) % 512]);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
