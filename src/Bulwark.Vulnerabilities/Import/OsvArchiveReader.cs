using System.IO.Compression;
using System.Runtime.CompilerServices;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Import;

/// <summary>
/// Streams the advisories of an OSV bulk archive (one JSON document per entry). Entries are read in memory one at a
/// time and never extracted, so their paths do not matter; sizes are checked before inflating and while reading.
/// </summary>
public static class OsvArchiveReader
{
    /// <summary>Checks that the file is a readable zip (its central directory parses) and within the entry limits.</summary>
    /// <exception cref="AdvisoryImportException">Not a zip, or over a limit.</exception>
    public static async Task<int> VerifyAsync(string path, ArchiveLimits? limits, CancellationToken cancellationToken)
    {
        limits ??= ArchiveLimits.Default;
        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                var archive = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
                await using (archive.ConfigureAwait(false))
                {
                    CheckEntries(archive, limits);
                    return archive.Entries.Count;
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new AdvisoryImportException($"{Path.GetFileName(path)} is not a valid zip archive: {e.Message}", e);
        }
    }

    public static async IAsyncEnumerable<AdvisoryEntry> ReadAsync(
        string path,
        ArchiveLimits? limits,
        OsvLimits? osvLimits,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        limits ??= ArchiveLimits.Default;
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            ZipArchive archive;
            try
            {
                archive = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw new AdvisoryImportException($"{Path.GetFileName(path)} is not a valid zip archive: {e.Message}", e);
            }

            await using (archive.ConfigureAwait(false))
            {
                CheckEntries(archive, limits);
                foreach (var entry in archive.Entries)
                {
                    if (entry.FullName.EndsWith('/') || !entry.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    byte[]? bytes;
                    try
                    {
                        var content = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                        await using (content.ConfigureAwait(false))
                        {
                            // The declared length can lie; the read itself is bounded too.
                            bytes = await BoundedRead.ReadAllAsync(content, limits.MaxEntryBytes, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (InvalidDataException e)
                    {
                        throw new AdvisoryImportException($"{Path.GetFileName(path)}: entry '{entry.FullName}' is corrupt: {e.Message}", e);
                    }

                    if (bytes is null)
                    {
                        throw new AdvisoryImportException($"{Path.GetFileName(path)}: entry '{entry.FullName}' inflates beyond {limits.MaxEntryBytes} bytes");
                    }

                    if (ZipCrc32.Compute(bytes) != entry.Crc32)
                    {
                        throw new AdvisoryImportException($"{Path.GetFileName(path)}: entry '{entry.FullName}' is corrupt: CRC-32 mismatch");
                    }

                    yield return OsvDocuments.Parse(entry.FullName, bytes, osvLimits);
                }
            }
        }
    }

    private static void CheckEntries(ZipArchive archive, ArchiveLimits limits)
    {
        if (archive.Entries.Count > limits.MaxEntries)
        {
            throw new AdvisoryImportException($"archive has {archive.Entries.Count} entries, over the limit of {limits.MaxEntries}");
        }

        long total = 0;
        foreach (var entry in archive.Entries)
        {
            if (entry.Length > limits.MaxEntryBytes)
            {
                throw new AdvisoryImportException($"entry '{entry.FullName}' is {entry.Length} bytes uncompressed, over the limit of {limits.MaxEntryBytes}");
            }

            if (entry.Length > 1024 * 1024 && entry.Length / Math.Max(1, entry.CompressedLength) > limits.MaxCompressionRatio)
            {
                throw new AdvisoryImportException($"entry '{entry.FullName}' compresses {entry.Length / Math.Max(1, entry.CompressedLength)}:1, a zip bomb");
            }

            total += entry.Length;
            if (total > limits.MaxTotalBytes)
            {
                throw new AdvisoryImportException($"archive inflates beyond {limits.MaxTotalBytes} bytes");
            }
        }
    }
}
