using System.IO.Compression;

namespace Bulwark.Analysis.Layers;

/// <summary>
/// Detects a layer's compression from its first bytes rather than trusting the media type (registries and
/// archives mislabel layers): gzip <c>1f 8b</c>, zstd <c>28 b5 2f fd</c>, anything else is read as a plain tar.
/// </summary>
public static class LayerCompression
{
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];

    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];

    private static ReadOnlySpan<byte> Bzip2Magic => "BZh"u8;

    private static ReadOnlySpan<byte> XzMagic => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

    /// <summary>Wraps <paramref name="compressed"/> in the right decompressor; takes ownership of it.</summary>
    public static Task<Stream> OpenAsync(Stream compressed, CancellationToken cancellationToken) =>
        OpenAsync(compressed, readAhead: false, cancellationToken);

    /// <summary>
    /// As <see cref="OpenAsync(Stream, CancellationToken)"/>; with <paramref name="readAhead"/>, a compressed layer's
    /// bytes are read (and their digest checked) on another thread ahead of the decompressor (<see cref="ReadAheadStream"/>).
    /// </summary>
    internal static async Task<Stream> OpenAsync(Stream compressed, bool readAhead, CancellationToken cancellationToken)
    {
        var head = new byte[6];
        var filled = 0;
        while (filled < head.Length)
        {
            var n = await compressed.ReadAsync(head.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        var span = head.AsSpan(0, filled);
        var replay = new PrefixedReadStream(head.AsMemory(0, filled), compressed);
        if (span.StartsWith(GzipMagic))
        {
            if (readAhead && GzipInflateStream.IsAvailable)
            {
                return GzipInflateStream.Open(ReadAhead(replay, cancellationToken));
            }

            return new GZipStream(readAhead ? ReadAhead(replay, cancellationToken) : replay, CompressionMode.Decompress);
        }

        if (span.StartsWith(ZstdMagic))
        {
            return new ZstdLayerStream(readAhead ? ReadAhead(replay, cancellationToken) : replay);
        }

        if (span.StartsWith(Bzip2Magic) || span.StartsWith(XzMagic))
        {
            await replay.DisposeAsync().ConfigureAwait(false);
            throw new ImageSourceException("layer is compressed with bzip2 or xz, which OCI images do not use");
        }

        return replay;
    }

    // Compressed data read ahead of the decompressor: 8 MiB in 1 MiB buffers. Each buffer handed over costs a wake-up
    // of the thread waiting for it, so buffers are large (about 100 for a 100 MB layer; 256 KiB buffers cost ~50 ms more
    // CPU per Debian image). Read ahead this far, the blob's digest check (~1.5 GB/s) stays ahead of the inflater in the
    // stretches of stored, already-compressed files (.deb archives) that inflate at memory speed.
    private static ReadAheadStream ReadAhead(Stream compressed, CancellationToken cancellationToken) =>
        ReadAheadStream.Start(compressed, 1024 * 1024, 8, cancellationToken);
}
