using System.Security.Cryptography;
using System.Text.Json;
using Bulwark.Oci;

namespace Bulwark.Analysis.Tests.Fixtures;

/// <summary>Writes an OCI image layout from layer tar files, as a build tool would (test fixture only).</summary>
internal static class OciLayoutWriter
{
    public enum Compression
    {
        None,
        Gzip,
        Zstd,
    }

    /// <summary>Writes the image and an index.json naming it with <paramref name="tag"/>; returns the manifest's digest and size.</summary>
    public static async Task<(string Digest, long Size)> WriteAsync(string directory, string tag,
        IReadOnlyList<(string TarFile, Compression Compression, string CreatedBy)> layers, string architecture = "amd64")
    {
        Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256"));
        await File.WriteAllTextAsync(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var diffIds = new List<string>();
        var descriptors = new List<object>();
        foreach (var (tarFile, compression, _) in layers)
        {
            diffIds.Add(await DigestOfFileAsync(tarFile));
            var compressed = Path.Combine(directory, "layer.tmp");
            await using (var input = File.OpenRead(tarFile))
            await using (var output = File.Create(compressed))
            {
                // gzip at the default level (zlib's 6), as build tools write layers: Docker and BuildKit (Go's
                // compress/gzip), podman, buildah and skopeo (pgzip) all do. The fastest level (zlib-ng's deflate_quick)
                // makes a 22 % larger layer that inflates ~30 % slower, which no client pushes.
                Stream target = compression switch
                {
                    Compression.Gzip => new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true),
                    Compression.Zstd => new ZstdSharp.CompressionStream(output, 3, leaveOpen: true),
                    _ => new NonClosing(output),
                };
                await input.CopyToAsync(target);
                await target.DisposeAsync();
            }

            var digest = await DigestOfFileAsync(compressed);
            File.Move(compressed, BlobPath(directory, digest), overwrite: true);
            descriptors.Add(new
            {
                mediaType = compression switch
                {
                    Compression.Gzip => MediaTypes.OciLayerGzip,
                    Compression.Zstd => MediaTypes.OciLayerZstd,
                    _ => MediaTypes.OciLayer,
                },
                digest,
                size = new FileInfo(BlobPath(directory, digest)).Length,
            });
        }

        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture,
            os = "linux",
            created = "2026-01-01T00:00:00Z",
            config = new { Env = new[] { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" }, Cmd = new[] { "bash" } },
            rootfs = new { type = "layers", diff_ids = diffIds },
            history = layers.Select(l => new { created = "2026-01-01T00:00:00Z", created_by = l.CreatedBy }),
        });
        var configDigest = await WriteBlobAsync(directory, config);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = MediaTypes.OciManifest,
            config = new { mediaType = MediaTypes.OciConfig, digest = configDigest, size = config.Length },
            layers = descriptors,
        });
        var manifestDigest = await WriteBlobAsync(directory, manifest);
        var index = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = MediaTypes.OciIndex,
            manifests = new[]
            {
                new
                {
                    mediaType = MediaTypes.OciManifest,
                    digest = manifestDigest,
                    size = manifest.Length,
                    annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag },
                },
            },
        });
        await File.WriteAllBytesAsync(Path.Combine(directory, "index.json"), index);
        return (manifestDigest, manifest.Length);
    }

    /// <summary>Writes <paramref name="content"/> as a blob and returns its digest.</summary>
    public static async Task<string> WriteBlobAsync(string directory, byte[] content)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        await File.WriteAllBytesAsync(BlobPath(directory, digest), content);
        return digest;
    }

    public static string BlobPath(string directory, string digest) => Path.Combine(directory, "blobs", "sha256", digest["sha256:".Length..]);

    private static async Task<string> DigestOfFileAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
    }

    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);
    }
}
