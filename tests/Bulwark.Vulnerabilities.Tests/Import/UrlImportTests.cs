using System.IO.Compression;
using System.Security.Cryptography;
using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Tests.Advisories;

namespace Bulwark.Vulnerabilities.Tests.Import;

/// <summary>The download path of <c>db update --source URL</c>, against a real HTTP server on loopback.</summary>
public sealed class UrlImportTests : IAsyncLifetime
{
    private const string Source = "osv:crates.io";
    private AdvisoryDatabase _db = null!;
    private ArchiveServer _server = null!;
    private static readonly HttpClient Http = new();

    public async Task InitializeAsync()
    {
        _db = await AdvisoryDatabase.CreateAsync();
        _server = await ArchiveServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Download_ThenUnchanged_Answers304()
    {
        _server.Content = await File.ReadAllBytesAsync(SharedData.Osv("crates.io"));
        var progress = new List<ImportProgress>();

        var first = await Importer.ImportOsvUrlAsync(Source, _server.Url, null, new SynchronousProgress(progress), CancellationToken.None);
        var second = await Importer.ImportOsvUrlAsync(Source, _server.Url, null, null, CancellationToken.None);

        Assert.False(first.Unchanged);
        Assert.Equal(1206, first.Advisories);
        Assert.True(second.Unchanged);
        Assert.Equal(1206, second.Advisories);
        Assert.StartsWith("If-None-Match=\"v1\"", _server.Requests[1], StringComparison.Ordinal);
        Assert.Contains(progress, p => p.Stage == ImportStage.Downloading && p.Done == _server.Content.Length && p.Total == _server.Content.Length);
        Assert.Contains(progress, p => p.Stage == ImportStage.Committed);
        var source = await _db.Store.FindSourceAsync(Source, CancellationToken.None);
        Assert.Equal("\"v1\"", source!.ETag);
        Assert.Equal(_server.Url.AbsoluteUri, source.Url);
    }

    [Fact]
    public async Task TruncatedDownload_KeepsTheOldDatabase_AndTheNextUpdateResumes()
    {
        _server.Content = Archive(("A-1.json", Advisory("A-1")), ("A-2.json", Advisory("A-2")));
        await Importer.ImportOsvUrlAsync(Source, _server.Url, null, null, CancellationToken.None);
        _server.Content = await File.ReadAllBytesAsync(SharedData.Osv("crates.io"));
        _server.ETag = "\"v2\"";
        _server.TruncateNext = true;

        var e = await Assert.ThrowsAsync<AdvisoryImportException>(() => Importer.ImportOsvUrlAsync(Source, _server.Url, null, null, CancellationToken.None));

        Assert.Contains("was cut off after", e.Message, StringComparison.Ordinal);
        Assert.Contains("was not changed", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, await _db.CountAsync(Source));

        var resumed = await Importer.ImportOsvUrlAsync(Source, _server.Url, null, null, CancellationToken.None);

        Assert.Equal(1206, resumed.Advisories);
        // The resume starts where the partial file ended: at most the half the server sent before it cut the connection
        // (an abort can drop bytes still in flight, so not necessarily all of it).
        var resume = System.Text.RegularExpressions.Regex.Match(_server.Requests[^1], "^If-None-Match= Range=bytes=([0-9]+)- If-Range=\"v2\"$");
        Assert.True(resume.Success, _server.Requests[^1]);
        Assert.InRange(long.Parse(resume.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, _server.Content.Length / 2);
        Assert.Equal(1206, await _db.CountAsync(Source));
        Assert.Empty(Directory.GetFiles(Path.Combine(_db.Directory, "downloads")));
    }

    [Fact]
    public async Task CorruptZip_IsRejected_AndTheOldDatabaseStays()
    {
        _server.Content = Archive(("A-1.json", Advisory("A-1")));
        await Importer.ImportOsvUrlAsync(Source, _server.Url, null, null, CancellationToken.None);
        var corrupt = await File.ReadAllBytesAsync(SharedData.Osv("crates.io"));
        Array.Clear(corrupt, corrupt.Length - 2000, 2000); // wipes the central directory
        _server.Content = corrupt;
        _server.ETag = "\"v2\"";

        var e = await Assert.ThrowsAsync<AdvisoryImportException>(() => Importer.ImportOsvUrlAsync(Source, _server.Url, null, null, CancellationToken.None));

        Assert.Contains("is not a valid zip archive", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, await _db.CountAsync(Source));
        Assert.Empty(Directory.GetFiles(Path.Combine(_db.Directory, "downloads")));
    }

    [Fact]
    public async Task CorruptEntryData_RollsBackTheImport()
    {
        _server.Content = Archive(("A-1.json", Advisory("A-1")));
        await Importer.ImportOsvUrlAsync(Source, _server.Url, null, null, CancellationToken.None);
        var archive = Archive(("B-1.json", Advisory("B-1")), ("B-2.json", Advisory("B-2") + new string(' ', 5000)));
        archive[60] ^= 0xFF; // inside the first entry's compressed data: the directory parses, inflating fails
        _server.Content = archive;
        _server.ETag = "\"v2\"";

        await Assert.ThrowsAsync<AdvisoryImportException>(() => Importer.ImportOsvUrlAsync(Source, _server.Url, null, null, CancellationToken.None));

        Assert.Equal(1, await _db.CountAsync(Source));
        Assert.Single(await _db.Store.FindByIdAsync("A-1", CancellationToken.None));
    }

    [Fact]
    public async Task FlippedByteInAStoredEntry_IsCaughtByTheCrc()
    {
        var path = Path.Combine(_db.Directory, "stored.zip");
        var archive = Archive(CompressionLevel.NoCompression, ("A-1.json", Advisory("A-1")), ("A-2.json", Advisory("A-2")));
        var at = System.Text.Encoding.ASCII.GetString(archive).IndexOf("\"A-2\"", StringComparison.Ordinal);
        archive[at + 1] = (byte)'B';
        await File.WriteAllBytesAsync(path, archive);

        var e = await Assert.ThrowsAsync<AdvisoryImportException>(() => Importer.ImportOsvAsync(Source, path, null, CancellationToken.None));

        Assert.Contains("CRC-32 mismatch", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _db.CountAsync(Source));
    }

    [Fact]
    public async Task ChecksumMismatch_IsRejected()
    {
        _server.Content = Archive(("A-1.json", Advisory("A-1")));

        var e = await Assert.ThrowsAsync<AdvisoryImportException>(() =>
            Importer.ImportOsvUrlAsync(Source, _server.Url, new string('0', 64), null, CancellationToken.None));
        Assert.Contains("SHA-256", e.Message, StringComparison.Ordinal);

        var ok = await Importer.ImportOsvUrlAsync(Source, _server.Url, Convert.ToHexStringLower(SHA256.HashData(_server.Content)), null, CancellationToken.None);
        Assert.Equal(1, ok.Advisories);
    }

    [Fact]
    public async Task ZipBomb_IsRefusedBeforeInflating()
    {
        var bomb = Archive(("bomb.json", new string(' ', 20 * 1024 * 1024)));
        var path = Path.Combine(_db.Directory, "bomb.zip");
        await File.WriteAllBytesAsync(path, bomb);

        var e = await Assert.ThrowsAsync<AdvisoryImportException>(() => Importer.ImportOsvAsync(Source, path, null, CancellationToken.None));

        Assert.Contains("over the limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadEntries_AreRejectedOneByOne_WithReasons()
    {
        var path = Path.Combine(_db.Directory, "mixed.zip");
        await File.WriteAllBytesAsync(path, Archive(
            ("ok.json", Advisory("A-1")),
            ("nested/../../evil.json", Advisory("A-2")),
            ("broken.json", "{\"id\":"),
            ("dup.json", Advisory("A-1")),
            ("README.md", "not an advisory")));

        var result = await Importer.ImportOsvAsync(Source, path, null, CancellationToken.None);

        Assert.Equal(2, result.Advisories);
        Assert.Equal(2, result.Rejected);
        Assert.Contains(result.Errors, m => m.StartsWith("broken.json: ", StringComparison.Ordinal));
        Assert.Contains(result.Errors, m => m.Contains("duplicate advisory id A-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerError_IsClear()
    {
        var missing = new Uri(_server.Url, "/nothing.zip");

        var e = await Assert.ThrowsAsync<AdvisoryImportException>(() => Importer.ImportOsvUrlAsync(Source, missing, null, null, CancellationToken.None));

        Assert.Contains("answered 404", e.Message, StringComparison.Ordinal);
    }

    private AdvisoryImporter Importer => _db.Importer(Http);

    private static string Advisory(string id) =>
        $$"""{"id":"{{id}}","affected":[{"package":{"ecosystem":"crates.io","name":"demo"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}""";

    private static byte[] Archive(params (string Name, string Content)[] entries) => Archive(CompressionLevel.Optimal, entries);

    private static byte[] Archive(CompressionLevel level, params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name, level).Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }

    private sealed class SynchronousProgress(List<ImportProgress> reports) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => reports.Add(value);
    }
}
