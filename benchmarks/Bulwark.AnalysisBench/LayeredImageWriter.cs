using System.Formats.Tar;
using System.IO.Compression;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Sources;

namespace Bulwark.AnalysisBench;

/// <summary>Splits a root filesystem into N gzip layer files (entries dealt round-robin) to measure layer count effects.</summary>
internal static class LayeredImageWriter
{
    public static async Task<SourceImage> WriteAsync(string rootfs, int layers, string directory)
    {
        var writers = new List<(TarWriter Writer, Stream File)>();
        for (var i = 0; i < layers; i++)
        {
            var file = File.Create(Path.Combine(directory, $"layer{i}.tar.gz"));
            var gzip = new GZipStream(file, CompressionLevel.Optimal); // the default level, as build tools write layers
            writers.Add((new TarWriter(gzip, TarEntryFormat.Pax), gzip));
        }

        var index = 0;
        foreach (var path in Walk(rootfs))
        {
            // The dpkg database goes last so that every layer before it is plain content.
            var target = path.Contains("/var/lib/dpkg/", StringComparison.Ordinal) ? layers - 1 : index++ % layers;
            await writers[target].Writer.WriteEntryAsync(path, Path.GetRelativePath(rootfs, path));
        }

        foreach (var (writer, stream) in writers)
        {
            await writer.DisposeAsync();
            await stream.DisposeAsync();
        }

        return Image(rootfs, layers, directory);
    }

    /// <summary>Files and links under <paramref name="root"/>, without following links (var/run points at the host's /run).</summary>
    private static IEnumerable<string> Walk(string root)
    {
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        while (pending.TryPop(out var directory))
        {
            foreach (var child in directory.EnumerateFileSystemInfos().OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                if (child.LinkTarget is null && child is DirectoryInfo subdirectory)
                {
                    pending.Push(subdirectory);
                }
                else if (child.LinkTarget is not null || child is FileInfo { Attributes: not FileAttributes.Device })
                {
                    yield return child.FullName;
                }
            }
        }
    }

    private static SourceImage Image(string rootfs, int layers, string directory)
    {
        return new SourceImage
        {
            Source = $"{rootfs} in {layers} layers",
            Layers = [.. Enumerable.Range(0, layers).Select(i => new BlobLayer(new LayerInfo { Index = i },
                _ => Task.FromResult<Stream>(File.OpenRead(Path.Combine(directory, $"layer{i}.tar.gz")))))],
        };
    }
}
