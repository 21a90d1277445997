using System.Formats.Tar;
using System.Text;

namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>
/// The debootstrap root filesystem packed as a 2-layer OCI image (layer 0: the whole rootfs; layer 1 adds a package to the dpkg database and deletes <c>etc/motd</c> with a whiteout), and the same image
/// as a docker-archive and as a zstd-compressed OCI layout, both written by skopeo. All cached under <c>.cache/</c>.
/// </summary>
internal static class DebianTestImage
{
    public const string Tag = "bookworm";
    public const string AddedPackage = "bulwark-fixture";
    private const string Version = "5";

    public static string OciLayout { get; } = Path.Combine(TestPaths.Cache, "debian-bookworm-oci");

    public static string DockerArchive { get; } = Path.Combine(TestPaths.Cache, "debian-bookworm.docker-archive.tar");

    public static async Task<string> GetOciLayoutAsync()
    {
        var root = await DebootstrapRootFs.GetAsync();
        await CacheLock.EnsureAsync("debian-bookworm-oci", Version, async () =>
        {
            if (Directory.Exists(OciLayout))
            {
                Directory.Delete(OciLayout, recursive: true);
            }

            var work = Directory.CreateDirectory(Path.Combine(TestPaths.Cache, "debian-bookworm-work")).FullName;
            var layer0 = Path.Combine(work, "layer0.tar");
            var layer1 = Path.Combine(work, "layer1.tar");
            await TarFile.CreateFromDirectoryAsync(root, layer0, includeBaseDirectory: false);
            await WriteAddedLayerAsync(root, layer1);
            await OciLayoutWriter.WriteAsync(OciLayout, Tag,
            [
                (layer0, OciLayoutWriter.Compression.Gzip, "debootstrap --variant=minbase bookworm"),
                (layer1, OciLayoutWriter.Compression.Gzip, "RUN install bulwark-fixture"),
            ]);
            Directory.Delete(work, recursive: true);
        });
        return OciLayout;
    }

    public static string ZstdOciLayout { get; } = Path.Combine(TestPaths.Cache, "debian-bookworm-oci-zstd");

    /// <summary>The image recompressed with zstd by skopeo (a real encoder, not the one we decode with).</summary>
    public static async Task<string> GetZstdOciLayoutAsync()
    {
        var layout = await GetOciLayoutAsync();
        await CacheLock.EnsureAsync("debian-bookworm-oci-zstd", Version, async () =>
        {
            if (Directory.Exists(ZstdOciLayout))
            {
                Directory.Delete(ZstdOciLayout, recursive: true);
            }

            await ProcessRunner.RunAsync("skopeo", "copy", "--quiet", "--dest-compress-format=zstd", $"oci:{layout}:{Tag}", $"oci:{ZstdOciLayout}:{Tag}");
        });
        return ZstdOciLayout;
    }

    public static async Task<string> GetDockerArchiveAsync()
    {
        var layout = await GetOciLayoutAsync();
        await CacheLock.EnsureAsync("debian-bookworm-docker-archive", Version, async () =>
        {
            File.Delete(DockerArchive);
            await ProcessRunner.RunAsync("skopeo", "copy", "--quiet", $"oci:{layout}:{Tag}", $"docker-archive:{DockerArchive}:bulwark/debian:{Tag}");
        });
        return DockerArchive;
    }

    private static async Task WriteAddedLayerAsync(string root, string path)
    {
        var status = await File.ReadAllTextAsync(Path.Combine(root, "var/lib/dpkg/status"));
        status = status.TrimEnd('\n') + "\n\n" + $"""
            Package: {AddedPackage}
            Status: install ok installed
            Priority: optional
            Section: misc
            Maintainer: Bulwark <bulwark@example.org>
            Architecture: all
            Source: bulwark-src (9.9-1)
            Version: 1.0-1
            Description: test package added by the second layer

            """;
        await using var output = File.Create(path);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax);
        void Add(string name, string content)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Mode = (UnixFileMode)0b110_100_100 };
            writer.WriteEntry(entry);
        }

        Add("var/lib/dpkg/status", status);
        Add($"var/lib/dpkg/info/{AddedPackage}.list", "/.\n/usr\n/usr/share\n/usr/share/bulwark\n/usr/share/bulwark/marker\n");
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "usr/share/bulwark/"));
        Add("usr/share/bulwark/marker", "marker\n");
        Add("etc/.wh.motd", "");
    }
}
