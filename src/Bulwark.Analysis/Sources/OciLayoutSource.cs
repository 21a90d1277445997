using Bulwark.Oci;

namespace Bulwark.Analysis.Sources;

/// <summary>
/// An OCI image layout directory (image-spec image-layout.md): <c>oci-layout</c>, <c>index.json</c> and
/// <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>. With a tag, the <c>index.json</c> entry whose
/// <c>org.opencontainers.image.ref.name</c> annotation equals it; without, every entry.
/// </summary>
public sealed class OciLayoutSource : IImageSource, IBlobStore
{
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    private readonly string root;
    private readonly string? tag;
    private readonly AnalysisLimits limits;

    public OciLayoutSource(string directory, string? tag = null, AnalysisLimits? limits = null)
    {
        root = Path.GetFullPath(directory);
        this.tag = tag;
        this.limits = limits ?? AnalysisLimits.Default;
        if (!File.Exists(Path.Combine(root, "index.json")))
        {
            throw new ImageSourceException($"{directory} is not an OCI image layout (no index.json)");
        }

        Name = tag is null ? directory : $"{directory}:{tag}";
    }

    public string Name { get; }

    public async Task<IReadOnlyList<SourceImage>> GetImagesAsync(PlatformSelection platforms, CancellationToken cancellationToken)
    {
        var indexBytes = await ReadBoundedAsync(Path.Combine(root, "index.json"), cancellationToken).ConfigureAwait(false);
        ManifestDocument index;
        try
        {
            index = ManifestParser.Parse(indexBytes, MediaTypes.OciIndex);
        }
        catch (ManifestFormatException e)
        {
            throw new ImageSourceException($"{Name}: index.json is invalid: {e.Message}", e);
        }

        var entries = index.References
            .Where(d => tag is null || (d.Annotations?.TryGetValue(RefNameAnnotation, out var name) == true && name == tag))
            .ToList();
        if (entries.Count == 0)
        {
            throw new ImageSourceException(tag is null ? $"{Name}: index.json lists no image" : $"{Name}: no image tagged '{tag}'");
        }

        var images = new List<SourceImage>();
        foreach (var entry in entries)
        {
            if (entry.Platform is not null && !MediaTypes.IsIndex(entry.MediaType) && !platforms.Matches(entry.Platform) && entries.Count > 1)
            {
                continue;
            }

            var manifest = await ((IBlobStore)this).GetManifestAsync(entry.Digest, cancellationToken).ConfigureAwait(false);
            images.AddRange(await OciImageResolver.ResolveAsync(this, manifest with { MediaType = entry.MediaType }, Name, platforms, limits,
                cancellationToken).ConfigureAwait(false));
        }

        return images;
    }

    async Task<FetchedManifest> IBlobStore.GetManifestAsync(string reference, CancellationToken cancellationToken)
    {
        var path = BlobPath(reference);
        var content = await ReadBoundedAsync(path, cancellationToken).ConfigureAwait(false);
        var digest = Digest.Parse(reference);
        if (Digest.Compute(content, digest.Algorithm) != digest)
        {
            throw new HostileImageException(HostileImageReason.DigestMismatch, $"{Name}: manifest blob does not match its digest {reference}");
        }

        return new FetchedManifest(content, MediaType: null, reference);
    }

    Task<Stream> IBlobStore.OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var path = BlobPath(descriptor.Digest);
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult<Stream>(new VerifyingReadStream(stream, Digest.Parse(descriptor.Digest), descriptor.Size));
    }

    private string BlobPath(string digest)
    {
        // Digest.Parse admits only [a-z0-9+._-] algorithms and hex, so the path cannot leave blobs/.
        if (!Digest.TryParse(digest, out var parsed))
        {
            throw new ImageSourceException($"{Name}: '{digest}' is not a digest");
        }

        var path = Path.Combine(root, "blobs", parsed.Algorithm, parsed.Encoded);
        return File.Exists(path) ? path : throw new ImageSourceException($"{Name}: blob {digest} is missing");
    }

    private async Task<byte[]> ReadBoundedAsync(string path, CancellationToken cancellationToken)
    {
        if (new FileInfo(path).Length > limits.MaxManifestBytes)
        {
            throw new ImageSourceException($"{Name}: {Path.GetFileName(path)} is larger than {limits.MaxManifestBytes} bytes");
        }

        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
