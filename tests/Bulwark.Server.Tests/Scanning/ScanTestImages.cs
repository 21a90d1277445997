using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bulwark.Oci;

namespace Bulwark.Server.Tests.Scanning;

/// <summary>
/// Small Debian 12 images built in memory (an os-release and a real-format dpkg status file in a gzip tar layer), pushed
/// through the /v2 API, and OSV advisories for their packages written to a temp directory.
/// </summary>
internal static class ScanTestImages
{
    public const string ZlibVersion = "1:1.2.13.dfsg-1";
    public const string TarVersion = "1.34+dfsg-1.2+deb12u1";

    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private const string OsRelease = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION="12 (bookworm)"
        VERSION_CODENAME=bookworm
        ID=debian

        """;

    private static readonly string DpkgStatus = $"""
        Package: zlib1g
        Status: install ok installed
        Priority: required
        Section: libs
        Installed-Size: 168
        Maintainer: Mark Brown <broonie@debian.org>
        Architecture: amd64
        Multi-Arch: same
        Source: zlib
        Version: {ZlibVersion}
        Depends: libc6 (>= 2.14)
        Description: compression library - runtime

        Package: tar
        Essential: yes
        Status: install ok installed
        Priority: required
        Section: utils
        Installed-Size: 3152
        Maintainer: Janos Lenart <ocsi@debian.org>
        Architecture: amd64
        Version: {TarVersion}
        Description: GNU version of the tar archiving utility

        """;

    /// <summary>A gzip layer with the files of a tiny Debian 12 system; <paramref name="marker"/> makes the digest unique.</summary>
    public static byte[] DebianLayer(string marker) => Layer(tar =>
    {
        File(tar, "etc/os-release", OsRelease);
        File(tar, "var/lib/dpkg/status", DpkgStatus);
        File(tar, "etc/bulwark-test-marker", marker);
    });

    /// <summary>A layer with an entry whose name climbs out of the root: analysis refuses it.</summary>
    public static byte[] HostileLayer() => Layer(tar => File(tar, "../../etc/passwd", "root:x:0:0::/root:/bin/sh\n"));

    public static byte[] Layer(Action<TarWriter> build)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            build(tar);
        }

        return buffer.ToArray();
    }

    private static void File(TarWriter tar, string name, string content) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = (UnixFileMode)0b110_100_100,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        });

    /// <summary>Pushes config, layer and an OCI image manifest; returns the manifest digest and the layer digest.</summary>
    public static async Task<(Digest Manifest, Digest Layer)> PushAsync(LiveServer server, string repository, string tag, byte[] layer)
    {
        var uncompressed = Digest.Compute(Gunzip(layer));
        var config = Encoding.UTF8.GetBytes(
            $$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{uncompressed}}"]},"history":[{"created_by":"test layer"}]}""");
        (await server.PushBlobAsync(repository, config)).EnsureSuccessStatusCode();
        (await server.PushBlobAsync(repository, layer)).EnsureSuccessStatusCode();
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
             "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{Digest.Compute(config)}}","size":{{config.Length}}},
             "layers":[{"mediaType":"{{MediaTypes.OciLayerGzip}}","digest":"{{Digest.Compute(layer)}}","size":{{layer.Length}}}]}
            """);
        using var response = await server.PutManifestAsync(repository, tag, manifest, MediaTypes.OciManifest);
        response.EnsureSuccessStatusCode();
        return (Digest.Compute(manifest), Digest.Compute(layer));
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Writes one OSV advisory for a Debian 12 source package, fixed in <paramref name="fixedVersion"/>.</summary>
    public static string WriteDebianAdvisory(string directory, string id, string cve, string sourcePackage, string fixedVersion, string cvss)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, id + ".json");
        System.IO.File.WriteAllText(path, $$"""
            {"schema_version":"1.6.0","id":"{{id}}","modified":"2026-01-01T00:00:00Z","published":"2026-01-01T00:00:00Z",
             "aliases":["{{cve}}"],"summary":"test advisory for {{sourcePackage}}",
             "severity":[{"type":"CVSS_V3","score":"{{cvss}}"}],
             "affected":[{"package":{"ecosystem":"Debian:12","name":"{{sourcePackage}}"},
               "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"{{fixedVersion}}"}]}]}]}
            """);
        return path;
    }

    /// <summary>Imports advisories through the admin endpoint; returns the report.</summary>
    public static async Task<JsonElement> UpdateAdvisoriesAsync(LiveServer server, string name, string path)
    {
        using var response = await server.Client.PostAsJsonAsync("/api/v1/advisories/update",
            new { sources = new[] { new { name, kind = "osv", path } } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> GetScanAsync(HttpClient client, string repository, string reference)
    {
        using var response = await client.GetAsync($"/api/v1/scans/image?repository={Uri.EscapeDataString(repository)}&reference={reference}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Polls until the image's scan has <paramref name="status"/> (generous timeout; no timing is asserted).</summary>
    public static async Task<JsonElement> WaitForStatusAsync(LiveServer server, string repository, string reference, string status)
    {
        var deadline = DateTime.UtcNow + Patience;
        JsonElement scan = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await server.Client.GetAsync($"/api/v1/scans/image?repository={Uri.EscapeDataString(repository)}&reference={reference}");
            if (response.IsSuccessStatusCode)
            {
                scan = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                if (scan.GetProperty("status").GetString() == status)
                {
                    return scan;
                }
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{repository}:{reference} did not reach '{status}' in {Patience}; last seen: {scan}");
        return scan;
    }

    public static async Task<JsonElement> FindingsAsync(HttpClient client, string repository, string reference, bool resolved = false)
    {
        using var response = await client.GetAsync(
            $"/api/v1/scans/image/findings?repository={Uri.EscapeDataString(repository)}&reference={reference}&resolved={resolved.ToString().ToLowerInvariant()}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static void Configure(Bulwark.Server.Configuration.ServerOptions options)
    {
        options.Scanning.PollInterval = TimeSpan.FromMilliseconds(200);
        options.Scanning.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        options.Scanning.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
    }
}
