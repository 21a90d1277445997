using System.Formats.Tar;
using System.Runtime.CompilerServices;

namespace Bulwark.Analysis.Layers;

/// <summary>
/// Streams the entries of one layer tar (PAX and GNU long names included) through decompression, with names
/// normalised and checked, whiteouts recognised, and the per-layer and per-image limits enforced.
/// </summary>
internal static class TarLayerReader
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    // Decompressed data read ahead of the tar reader: 24 MiB in 1 MiB buffers, so that the inflater (the longest stage of
    // a gzip layer) keeps going while the tar reader and the inspectors work through a burst (a large binary's digest,
    // secret scan and build-info read). Measured on the 2-layer Debian image (steady-state runs, 2026-11-28): the
    // inflater waited for ring space ~45 ms per analysis with 16 x 256 KiB, ~20 ms with 16 x 1 MiB, ~3 ms with
    // 24-32 x 1 MiB; the rings add ~25 MiB to one analysis's peak working set (benchmarks/README.md, "Issue 4 figures, 2026-11-28").
    private const int DecompressedChunkBytes = 1024 * 1024;
    private const int DecompressedChunks = 24;

    public static async IAsyncEnumerable<LayerEntry> ReadAsync(Stream compressed, DecompressionBudget budget,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var limits = budget.Limits;
        // Up to three threads: reading the blob with its digest check, decompression with the size limits, and the
        // tar reader with the inspectors here (ReadAheadStream: a limit, a corruption or a digest mismatch found
        // ahead is thrown here in order). TarReader's small reads are served from the read-ahead's current buffer.
        var decompressed = await LayerCompression.OpenAsync(compressed, readAhead: true, cancellationToken).ConfigureAwait(false);
        await using var inflated = ReadAheadStream.Start(new CountingReadStream(decompressed, limits.MaxLayerBytes, budget),
            DecompressedChunkBytes, DecompressedChunks, cancellationToken);
        await using var position = new PositionStream(inflated);
        await using var reader = new TarReader(position, leaveOpen: true);
        var entries = 0;
        long dataEnd = 0;
        while (await NextAsync(reader, position, dataEnd, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            // The reader stands at the start of this entry's data (headers consumed).
            dataEnd = position.BytesRead + entry.Length;
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            if (++entries > limits.MaxEntriesPerLayer)
            {
                throw new HostileImageException(HostileImageReason.TooManyEntries,
                    $"layer has more than {limits.MaxEntriesPerLayer} entries (limit MaxEntriesPerLayer)");
            }

            budget.AddEntry();
            if (entry.Length > limits.MaxFileBytes)
            {
                throw new HostileImageException(HostileImageReason.FileTooLarge,
                    $"entry '{LayerPath.Printable(entry.Name)}' is {entry.Length} bytes, over MaxFileBytes ({limits.MaxFileBytes})");
            }

            var path = LayerPath.Normalize(entry.Name, limits.MaxPathBytes);
            if (path.Length == 0)
            {
                continue;
            }

            var name = path[(path.LastIndexOf('/') + 1)..];
            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                var parent = LayerPath.Parent(path);
                if (name == OpaqueMarker)
                {
                    yield return new LayerEntry { Path = parent, Type = LayerEntryType.OpaqueDirectory };
                }
                else if (!name.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
                {
                    // Other .wh..wh.* names are aufs bookkeeping (hard link directories), not content.
                    yield return new LayerEntry { Path = LayerPath.Combine(parent, name[WhiteoutPrefix.Length..]), Type = LayerEntryType.Whiteout };
                }

                continue;
            }

            yield return entry.EntryType switch
            {
                TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => new LayerEntry
                {
                    Path = path,
                    Type = LayerEntryType.RegularFile,
                    Size = entry.Length,
                    Mode = entry.Mode,
                    Uid = entry.Uid,
                    Gid = entry.Gid,
                    OpenContent = () => new Sources.BoundedReadStream(entry.DataStream ?? Stream.Null, entry.Length, leaveOpen: true),
                },
                TarEntryType.Directory => new LayerEntry { Path = path, Type = LayerEntryType.Directory, Mode = entry.Mode, Uid = entry.Uid, Gid = entry.Gid },
                TarEntryType.SymbolicLink => new LayerEntry { Path = path, Type = LayerEntryType.Symlink, Mode = entry.Mode, LinkTarget = entry.LinkName },
                TarEntryType.HardLink => new LayerEntry
                {
                    Path = path,
                    Type = LayerEntryType.Hardlink,
                    Mode = entry.Mode,
                    LinkTarget = LayerPath.Normalize(entry.LinkName, limits.MaxPathBytes, isLinkTarget: true),
                },
                _ => new LayerEntry { Path = path, Type = LayerEntryType.Other, Mode = entry.Mode },
            };
        }

        // Read to the end so that the whole layer is counted and a digest check on the blob sees every byte.
        await inflated.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The next entry, or null at the end. A tar that ends right after the last entry's data — without the padding to
    /// 512 bytes and the two zero blocks (umoci writes such layers; GNU tar accepts them) — ends there; a tar cut off
    /// inside an entry's data or header is malformed.
    /// </summary>
    private static async Task<TarEntry?> NextAsync(TarReader reader, PositionStream position, long dataEnd, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException) when (position.BytesRead >= dataEnd && position.BytesRead - dataEnd < 512)
        {
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw new HostileImageException(HostileImageReason.MalformedArchive, $"layer is not a valid tar archive: {e.Message}");
        }
    }

    /// <summary>Counts what the tar reader has consumed, so that the reader's place in the archive is known.</summary>
    private sealed class PositionStream(Stream inner) : ForwardOnlyReadStream
    {
        public long BytesRead { get; private set; }

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            BytesRead += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            BytesRead += read;
            return read;
        }
    }
}
