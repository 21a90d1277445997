using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>
/// An OCI layout written here with System.Formats.Tar: a linux/amd64 and a linux/arm64 image (one gzip layer each with
/// os-release and a one-package dpkg database) tagged <c>amd64</c> and <c>arm64</c>, and a <c>multi</c> index over both.
/// </summary>
internal sealed class SbomTestLayout
{
    private SbomTestLayout(string path, IReadOnlyDictionary<string, string> manifestDigests)
    {
        Path = path;
        ManifestDigests = manifestDigests;
    }

    public string Path { get; }

    /// <summary>Manifest digest per architecture.</summary>
    public IReadOnlyDictionary<string, string> ManifestDigests { get; }

    public static async Task<SbomTestLayout> WriteAsync(string layout)
    {
        var blobs = Directory.CreateDirectory(System.IO.Path.Combine(layout, "blobs", "sha256")).FullName;
        string Put(byte[] bytes)
        {
            var hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
            File.WriteAllBytes(System.IO.Path.Combine(blobs, hex), bytes);
            return "sha256:" + hex;
        }

        var digests = new Dictionary<string, string>();
        var entries = new List<string>();
        var children = new List<string>();
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            var tar = await TarAsync(
                ("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
                ("var/lib/dpkg/status", $"Package: hello\nStatus: install ok installed\nArchitecture: {architecture}\nVersion: 2.10-3\n\n"));
            using var gzipped = new MemoryStream();
            await using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(tar);
            }

            var layer = gzipped.ToArray();
            var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar));
            var config = Encoding.UTF8.GetBytes(
                "{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}");
            var manifest = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + Descriptor("application/vnd.oci.image.config.v1+json", Put(config), config.Length, "")
                + ",\"layers\":[" + Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", Put(layer), layer.Length, "") + "]}");
            var digest = Put(manifest);
            digests[architecture] = digest;
            children.Add(Descriptor("application/vnd.oci.image.manifest.v1+json", digest, manifest.Length,
                ",\"platform\":{\"architecture\":\"" + architecture + "\",\"os\":\"linux\"}"));
            entries.Add(Descriptor("application/vnd.oci.image.manifest.v1+json", digest, manifest.Length, RefName(architecture)));
        }

        var index = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
            + string.Join(',', children) + "]}");
        entries.Add(Descriptor("application/vnd.oci.image.index.v1+json", Put(index), index.Length, RefName("multi")));
        await File.WriteAllTextAsync(System.IO.Path.Combine(layout, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        await File.WriteAllTextAsync(System.IO.Path.Combine(layout, "index.json"), "{\"schemaVersion\":2,\"manifests\":[" + string.Join(',', entries) + "]}");
        return new SbomTestLayout(layout, digests);
    }

    private static string RefName(string name) => ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + name + "\"}";

    private static string Descriptor(string mediaType, string digest, long size, string extra) =>
        "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size.ToString(System.Globalization.CultureInfo.InvariantCulture) + extra + "}";

    private static async Task<byte[]> TarAsync(params (string Name, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }
        }

        return buffer.ToArray();
    }
}
