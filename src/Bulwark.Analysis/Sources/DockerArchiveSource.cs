using System.Formats.Tar;
using System.Text.Json;
using Bulwark.Analysis.Layers;
using Bulwark.Oci;

namespace Bulwark.Analysis.Sources;

/// <summary>
/// A <c>docker save</c> / <c>podman save</c> / <c>skopeo copy docker-archive:</c> tar: <c>manifest.json</c> names
/// each image's config and layer tars (older archives use <c>&lt;id&gt;/layer.tar</c>, newer docker an OCI layout
/// inside with <c>blobs/sha256/…</c>; both are read through <c>manifest.json</c>). The archive is indexed once and
/// members are read in place, never extracted.
/// </summary>
public sealed class DockerArchiveSource : IImageSource
{
    private readonly string path;
    private readonly AnalysisLimits limits;
    private Dictionary<string, (long Offset, long Length)>? members;

    public DockerArchiveSource(string path, AnalysisLimits? limits = null)
    {
        this.path = Path.GetFullPath(path);
        this.limits = limits ?? AnalysisLimits.Default;
        if (!File.Exists(this.path))
        {
            throw new ImageSourceException($"{path} does not exist");
        }

        Name = path;
    }

    public string Name { get; }

    public async Task<IReadOnlyList<SourceImage>> GetImagesAsync(PlatformSelection platforms, CancellationToken cancellationToken)
    {
        members ??= await IndexAsync(cancellationToken).ConfigureAwait(false);
        using var manifestDocument = JsonDocument.Parse(await ReadMemberAsync("manifest.json", cancellationToken).ConfigureAwait(false));
        if (manifestDocument.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new ImageSourceException($"{Name}: manifest.json is not an array");
        }

        var images = new List<SourceImage>();
        foreach (var item in manifestDocument.RootElement.EnumerateArray())
        {
            var configName = item.TryGetProperty("Config", out var c) ? c.GetString() : null;
            if (configName is null || !item.TryGetProperty("Layers", out var layerArray) || layerArray.ValueKind != JsonValueKind.Array)
            {
                throw new ImageSourceException($"{Name}: manifest.json entry lacks Config or Layers");
            }

            var configBytes = await ReadMemberAsync(configName, cancellationToken).ConfigureAwait(false);
            ImageConfig config;
            try
            {
                config = ImageConfig.Parse(configBytes);
            }
            catch (ManifestFormatException e)
            {
                throw new ImageSourceException($"{Name}: config {configName} is invalid: {e.Message}", e);
            }

            var platform = config.Os is not null && config.Architecture is not null
                ? new Platform { Os = config.Os, Architecture = config.Architecture, Variant = config.Variant }
                : null;
            var layerNames = layerArray.EnumerateArray().Select(l => l.GetString() ?? "").ToList();
            if (layerNames.Count > limits.MaxLayers)
            {
                throw new HostileImageException(HostileImageReason.TooManyLayers, $"image has {layerNames.Count} layers, over MaxLayers ({limits.MaxLayers})");
            }

            var infos = OciImageResolver.DescribeLayers(config,
                [.. layerNames.Select(n => (BlobDigestFromName(n), (string?)null, members.TryGetValue(LayerPath.Normalize(n, limits.MaxPathBytes), out var m) ? (long?)m.Length : null))]);
            images.Add(new SourceImage
            {
                Source = Name,
                ConfigDigest = Digest.Compute(configBytes).ToString(),
                Platform = platform,
                Config = config,
                Layers = [.. layerNames.Select((n, i) => new BlobLayer(infos[i], _ => Task.FromResult<Stream>(OpenMember(n))))],
            });
        }

        return images;
    }

    private async Task<Dictionary<string, (long, long)>> IndexAsync(CancellationToken cancellationToken)
    {
        var index = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        await using var reader = new TarReader(file);
        try
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (index.Count >= limits.MaxEntriesPerLayer)
                {
                    throw new HostileImageException(HostileImageReason.TooManyEntries, $"{Name} has more than {limits.MaxEntriesPerLayer} members");
                }

                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    index[LayerPath.Normalize(entry.Name, limits.MaxPathBytes)] = (entry.DataOffset, entry.Length);
                }
                else if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink
                         && LinkTarget(entry) is { } linked && index.TryGetValue(linked, out var target))
                {
                    // docker save links identical layers to one copy (<id>/layer.tar -> ../<other>/layer.tar).
                    index[LayerPath.Normalize(entry.Name, limits.MaxPathBytes)] = target;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ImageSourceException($"{Name} is not a valid tar archive: {e.Message}", e);
        }

        return index;
    }

    /// <summary>The member a link points at (hard links name it from the archive root, symlinks from their directory); null outside the archive.</summary>
    private static string? LinkTarget(TarEntry entry)
    {
        var start = entry.EntryType == TarEntryType.HardLink || entry.LinkName.StartsWith('/') ? "" : LayerPath.Parent(entry.Name.Trim('/'));
        var parts = new List<string>();
        foreach (var segment in $"{start}/{entry.LinkName}".Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (segment != ".")
            {
                parts.Add(segment);
            }
        }

        return string.Join('/', parts);
    }

    private async Task<byte[]> ReadMemberAsync(string name, CancellationToken cancellationToken)
    {
        var (_, length) = Member(name);
        if (length > limits.MaxManifestBytes)
        {
            throw new ImageSourceException($"{Name}: {name} is larger than {limits.MaxManifestBytes} bytes");
        }

        await using var stream = OpenMember(name);
        var bytes = new byte[length];
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    private (long Offset, long Length) Member(string name)
    {
        var normalized = LayerPath.Normalize(name, limits.MaxPathBytes);
        return members!.TryGetValue(normalized, out var member)
            ? member
            : throw new ImageSourceException($"{Name}: member '{LayerPath.Printable(name)}' is missing");
    }

    private BoundedReadStream OpenMember(string name)
    {
        var (offset, length) = Member(name);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        file.Seek(offset, SeekOrigin.Begin);
        return new BoundedReadStream(file, length);
    }

    private static string? BlobDigestFromName(string name)
    {
        // blobs/sha256/<hex> (OCI inside docker save) or <hex>.tar (skopeo): the name is the blob digest.
        var parts = name.Split('/');
        if (parts.Length == 3 && parts[0] == "blobs" && Digest.TryParse($"{parts[1]}:{parts[2]}", out var d))
        {
            return d.ToString();
        }

        var file = Path.GetFileNameWithoutExtension(name);
        return parts.Length == 1 && Digest.TryParse("sha256:" + file, out var e) ? e.ToString() : null;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
