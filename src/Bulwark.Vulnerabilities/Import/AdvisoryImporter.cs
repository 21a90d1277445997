using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Vulnerabilities.Advisories;

namespace Bulwark.Vulnerabilities.Import;

/// <summary>
/// Fills the <see cref="AdvisoryStore"/> from OSV files, directories, bulk archives and URLs, the Debian Security
/// Tracker and Alpine secdb. Every import replaces its source's advisories in one transaction.
/// </summary>
public sealed class AdvisoryImporter(AdvisoryStore store, HttpClient http, AdvisoryImportOptions options)
{
    /// <summary>Imports an OSV JSON file, a directory of them, or a bulk <c>.zip</c>.</summary>
    public async Task<AdvisoryImportResult> ImportOsvAsync(string source, string path, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full) && !File.Exists(full))
        {
            throw new AdvisoryImportException($"{path}: no such file or directory");
        }

        if (File.Exists(full) && full.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            await OsvArchiveReader.VerifyAsync(full, options.ArchiveLimits, cancellationToken).ConfigureAwait(false);
            return await store.ReplaceSourceAsync(
                new AdvisorySourceUpdate(source, full) { TrackChanges = options.TrackChanges },
                OsvArchiveReader.ReadAsync(full, options.ArchiveLimits, options.OsvLimits, cancellationToken),
                progress,
                cancellationToken).ConfigureAwait(false);
        }

        return await store.ReplaceSourceAsync(
            new AdvisorySourceUpdate(source, full) { TrackChanges = options.TrackChanges },
            OsvDirectoryReader.ReadAsync(full, options.OsvLimits, cancellationToken),
            progress,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Imports a Debian Security Tracker JSON file as advisories for <c>Debian:&lt;release&gt;</c>.</summary>
    public Task<AdvisoryImportResult> ImportDebianTrackerAsync(string source, string path, IProgress<ImportProgress>? progress, CancellationToken cancellationToken) =>
        ImportDocumentAsync(source, path, DebianTrackerReader.MaxDocumentBytes, DebianTrackerReader.ReadAsync, progress, cancellationToken);

    /// <summary>Imports one Alpine secdb JSON file (one release and repository) as advisories for <c>Alpine:v3.x</c>.</summary>
    public Task<AdvisoryImportResult> ImportAlpineSecDbAsync(string source, string path, IProgress<ImportProgress>? progress, CancellationToken cancellationToken) =>
        ImportDocumentAsync(source, path, AlpineSecDbReader.MaxDocumentBytes, AlpineSecDbReader.ReadAsync, progress, cancellationToken);

    /// <summary>Downloads the Debian Security Tracker JSON (conditional, resumable, as <see cref="ImportOsvUrlAsync"/>) and imports it.</summary>
    /// <exception cref="AdvisoryImportException">The download failed, was cut off, or is not a tracker document; the store is unchanged.</exception>
    public Task<AdvisoryImportResult> ImportDebianTrackerUrlAsync(string source, Uri url, IProgress<ImportProgress>? progress, CancellationToken cancellationToken) =>
        ImportDocumentUrlAsync(source, url, DebianTrackerReader.MaxDocumentBytes, DebianTrackerReader.ReadAsync, progress, cancellationToken);

    /// <summary>Downloads one Alpine secdb JSON file (conditional, resumable) and imports it.</summary>
    /// <exception cref="AdvisoryImportException">The download failed, was cut off, or is not a secdb document; the store is unchanged.</exception>
    public Task<AdvisoryImportResult> ImportAlpineSecDbUrlAsync(string source, Uri url, IProgress<ImportProgress>? progress, CancellationToken cancellationToken) =>
        ImportDocumentUrlAsync(source, url, AlpineSecDbReader.MaxDocumentBytes, AlpineSecDbReader.ReadAsync, progress, cancellationToken);

    /// <summary>
    /// Downloads an OSV bulk archive and imports it. A conditional request (If-None-Match / If-Modified-Since from the
    /// last import) that the server answers with 304 returns <see cref="AdvisoryImportResult.Unchanged"/>. The body is
    /// written to a partial file that a later call resumes with a Range request; the archive is verified (checksum
    /// when known, zip structure) before the old advisories are replaced.
    /// </summary>
    /// <param name="expectedSha256">Hex SHA-256 the archive must have, when the caller knows it.</param>
    /// <exception cref="AdvisoryImportException">The download failed, was cut off, or is not a valid archive; the store is unchanged.</exception>
    public async Task<AdvisoryImportResult> ImportOsvUrlAsync(
        string source,
        Uri url,
        string? expectedSha256,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var (partial, validatorFile) = DownloadPaths(url);
        var previous = await store.FindSourceAsync(source, cancellationToken).ConfigureAwait(false);

        var download = await DownloadAsync(source, url, partial, validatorFile, previous, progress, cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return new AdvisoryImportResult(source, true, previous?.AdvisoryCount ?? 0, previous?.PackageCount ?? 0, 0, [], TimeSpan.Zero);
        }

        progress?.Report(new ImportProgress(source, ImportStage.Verifying, 0, null));
        try
        {
            await VerifyChecksumAsync(url, partial, expectedSha256, download.Value.Digest, cancellationToken).ConfigureAwait(false);
            await OsvArchiveReader.VerifyAsync(partial, options.ArchiveLimits, cancellationToken).ConfigureAwait(false);
        }
        catch (AdvisoryImportException)
        {
            // Resuming would only extend bad bytes: start over next time.
            DeleteDownload(partial, validatorFile);
            throw;
        }

        var result = await store.ReplaceSourceAsync(
            new AdvisorySourceUpdate(source, url.AbsoluteUri, download.Value.ETag, download.Value.LastModified) { TrackChanges = options.TrackChanges },
            OsvArchiveReader.ReadAsync(partial, options.ArchiveLimits, options.OsvLimits, cancellationToken),
            progress,
            cancellationToken).ConfigureAwait(false);
        DeleteDownload(partial, validatorFile);
        return result;
    }

    private async Task<(string? ETag, string? LastModified, string? Digest)?> DownloadAsync(
        string source,
        Uri url,
        string partial,
        string validatorFile,
        AdvisorySource? previous,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            long offset = File.Exists(partial) ? new FileInfo(partial).Length : 0;
            var validator = offset > 0 && File.Exists(validatorFile)
                ? await File.ReadAllTextAsync(validatorFile, cancellationToken).ConfigureAwait(false)
                : null;
            if (offset > 0 && string.IsNullOrEmpty(validator))
            {
                // Without a validator we cannot tell whether the server's file is still the one we started.
                DeleteDownload(partial, validatorFile);
                offset = 0;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
                request.Headers.TryAddWithoutValidation("If-Range", validator);
            }
            else if (previous is not null && previous.Url == url.AbsoluteUri)
            {
                if (previous.ETag is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", previous.ETag);
                }

                if (previous.LastModified is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-Modified-Since", previous.LastModified);
                }
            }

            using var response = await SendAsync(request, url, cancellationToken).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotModified when offset == 0:
                    return null;
                case HttpStatusCode.RequestedRangeNotSatisfiable when attempt == 0:
                    DeleteDownload(partial, validatorFile);
                    continue;
                case HttpStatusCode.PartialContent when offset > 0 && response.Content.Headers.ContentRange?.From == offset:
                    break;
                case HttpStatusCode.OK:
                    offset = 0;
                    break;
                default:
                    throw new AdvisoryImportException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var etag = response.Headers.ETag?.ToString();
            var lastModified = response.Content.Headers.LastModified?.ToString("R");
            if (offset == 0)
            {
                await File.WriteAllTextAsync(validatorFile, etag ?? lastModified ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            var total = response.Content.Headers.ContentLength is { } length ? offset + length : (long?)null;
            if (total > options.MaxDownloadBytes)
            {
                throw new AdvisoryImportException($"GET {url}: {total} bytes, over the limit of {options.MaxDownloadBytes}");
            }

            var written = await CopyAsync(source, url, response, partial, offset, total, progress, cancellationToken).ConfigureAwait(false);
            if (total is { } expected && written != expected)
            {
                throw Truncated(url, written, expected, null);
            }

            return (etag, lastModified, Digest(response));
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new AdvisoryImportException($"GET {url} failed: {e.Message}", e);
        }
    }

    private async Task<long> CopyAsync(
        string source,
        Uri url,
        HttpResponseMessage response,
        string partial,
        long offset,
        long? total,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        var file = new FileStream(partial, offset > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var written = offset;
            try
            {
                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        written += read;
                        if (written > options.MaxDownloadBytes)
                        {
                            throw new AdvisoryImportException($"GET {url}: more than {options.MaxDownloadBytes} bytes");
                        }

                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        progress?.Report(new ImportProgress(source, ImportStage.Downloading, written, total));
                    }
                }
            }
            catch (Exception e) when (e is HttpIOException or IOException && !cancellationToken.IsCancellationRequested)
            {
                await file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                throw Truncated(url, written, total, e);
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }
    }

    private static AdvisoryImportException Truncated(Uri url, long written, long? expected, Exception? inner)
    {
        var message = $"download of {url} was cut off after {written} of {(expected is { } e ? e.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")} bytes; "
            + "the advisory database was not changed and the next update resumes the download";
        return inner is null ? new AdvisoryImportException(message) : new AdvisoryImportException(message, inner);
    }

    // A server-supplied digest of the whole object: GCS (the OSV bucket) sends x-goog-hash md5=<base64>;
    // RFC 9530 servers send Repr-Digest: sha-256=:<base64>:.
    private static string? Digest(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("x-goog-hash", out var goog))
        {
            foreach (var part in goog.SelectMany(v => v.Split(',')))
            {
                var trimmed = part.Trim();
                if (trimmed.StartsWith("md5=", StringComparison.Ordinal))
                {
                    return "md5:" + trimmed[4..];
                }
            }
        }

        if (response.Headers.TryGetValues("Repr-Digest", out var repr))
        {
            foreach (var part in repr.SelectMany(v => v.Split(',')))
            {
                var trimmed = part.Trim();
                if (trimmed.StartsWith("sha-256=:", StringComparison.Ordinal) && trimmed.EndsWith(':'))
                {
                    return "sha256:" + trimmed[9..^1];
                }
            }
        }

        return null;
    }

    private static async Task VerifyChecksumAsync(Uri url, string path, string? expectedSha256, string? serverDigest, CancellationToken cancellationToken)
    {
        if (expectedSha256 is null && serverDigest is null)
        {
            return;
        }

        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            if (expectedSha256 is not null)
            {
                var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
                if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new AdvisoryImportException($"{url}: SHA-256 is {actual}, expected {expectedSha256}");
                }

                file.Position = 0;
            }

            if (serverDigest is not null)
            {
                var colon = serverDigest.IndexOf(':', StringComparison.Ordinal);
                var algorithm = serverDigest[..colon];
#pragma warning disable CA5351 // MD5 here checks transfer integrity against the server's own x-goog-hash, not security.
                var hash = algorithm == "md5"
                    ? await MD5.HashDataAsync(file, cancellationToken).ConfigureAwait(false)
                    : await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5351
                if (Convert.ToBase64String(hash) != serverDigest[(colon + 1)..])
                {
                    throw new AdvisoryImportException($"{url}: {algorithm} digest does not match the server's ({serverDigest[(colon + 1)..]})");
                }
            }
        }
    }

    private async Task<AdvisoryImportResult> ImportDocumentUrlAsync(
        string source,
        Uri url,
        long maxBytes,
        Func<Stream, CancellationToken, Task<IReadOnlyList<AdvisoryEntry>>> read,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var (partial, validatorFile) = DownloadPaths(url);
        var previous = await store.FindSourceAsync(source, cancellationToken).ConfigureAwait(false);

        var download = await DownloadAsync(source, url, partial, validatorFile, previous, progress, cancellationToken).ConfigureAwait(false);
        if (download is null)
        {
            return new AdvisoryImportResult(source, true, previous?.AdvisoryCount ?? 0, previous?.PackageCount ?? 0, 0, [], TimeSpan.Zero);
        }

        IReadOnlyList<AdvisoryEntry> entries;
        try
        {
            await VerifyChecksumAsync(url, partial, null, download.Value.Digest, cancellationToken).ConfigureAwait(false);
            if (new FileInfo(partial).Length > maxBytes)
            {
                throw new AdvisoryImportException($"{url}: over the limit of {maxBytes} bytes");
            }

            var stream = File.OpenRead(partial);
            await using (stream.ConfigureAwait(false))
            {
                entries = await read(stream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AdvisoryImportException)
        {
            DeleteDownload(partial, validatorFile);
            throw;
        }

        var result = await store.ReplaceSourceAsync(
            new AdvisorySourceUpdate(source, url.AbsoluteUri, download.Value.ETag, download.Value.LastModified) { TrackChanges = options.TrackChanges },
            entries.ToAsyncEnumerable(),
            progress,
            cancellationToken).ConfigureAwait(false);
        DeleteDownload(partial, validatorFile);
        return result;
    }

    private async Task<AdvisoryImportResult> ImportDocumentAsync(
        string source,
        string path,
        long maxBytes,
        Func<Stream, CancellationToken, Task<IReadOnlyList<AdvisoryEntry>>> read,
        IProgress<ImportProgress>? progress,
        CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new AdvisoryImportException($"{path}: no such file");
        }

        if (new FileInfo(full).Length > maxBytes)
        {
            throw new AdvisoryImportException($"{path}: over the limit of {maxBytes} bytes");
        }

        IReadOnlyList<AdvisoryEntry> entries;
        var stream = File.OpenRead(full);
        await using (stream.ConfigureAwait(false))
        {
            entries = await read(stream, cancellationToken).ConfigureAwait(false);
        }

        return await store.ReplaceSourceAsync(new AdvisorySourceUpdate(source, full) { TrackChanges = options.TrackChanges }, entries.ToAsyncEnumerable(), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where the download of <paramref name="url"/> is kept until it is imported: the partial body and its validator.</summary>
    private (string Partial, string ValidatorFile) DownloadPaths(Uri url)
    {
        Directory.CreateDirectory(options.DownloadDirectory);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)))[..32];
        var partial = Path.Combine(options.DownloadDirectory, key + ".partial");
        return (partial, partial + ".validator");
    }

    private static void DeleteDownload(string partial, string validatorFile)
    {
        File.Delete(partial);
        File.Delete(validatorFile);
    }
}
