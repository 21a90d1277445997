using Bulwark.Analysis;
using Bulwark.Analysis.Sources;
using Bulwark.Oci;
using Bulwark.Registry.Manifests;
using AnalysisBlobStore = Bulwark.Analysis.Sources.IBlobStore;
using RegistryBlobStore = Bulwark.Registry.Storage.IBlobStore;

namespace Bulwark.Server.Scanning;

/// <summary>
/// An image read straight from the registry's own storage: the manifest through <see cref="ManifestService"/> (so only
/// manifests of this repository are reachable), config and layers from the blob store, every blob's digest and size
/// verified as it streams. An index resolves to its platform manifests, as every other source does. No HTTP round trip.
/// </summary>
public sealed class RegistryStorageImageSource : IImageSource, AnalysisBlobStore
{
    private readonly ManifestService _manifests;
    private readonly RegistryBlobStore _blobs;
    private readonly string _repository;
    private readonly Digest _digest;
    private readonly AnalysisLimits _limits;

    public RegistryStorageImageSource(ManifestService manifests, RegistryBlobStore blobs, string repository, Digest digest, AnalysisLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(blobs);
        _manifests = manifests;
        _blobs = blobs;
        _repository = repository;
        _digest = digest;
        _limits = limits ?? AnalysisLimits.Default;
        Name = $"{repository}@{digest}";
    }

    public string Name { get; }

    public async Task<IReadOnlyList<SourceImage>> GetImagesAsync(PlatformSelection platforms, CancellationToken cancellationToken)
    {
        var root = await ((AnalysisBlobStore)this).GetManifestAsync(_digest.ToString(), cancellationToken).ConfigureAwait(false);
        return await OciImageResolver.ResolveAsync(this, root, Name, platforms, _limits, cancellationToken).ConfigureAwait(false);
    }

    async Task<FetchedManifest> AnalysisBlobStore.GetManifestAsync(string reference, CancellationToken cancellationToken)
    {
        if (!Digest.TryParse(reference, out var digest))
        {
            throw new ImageSourceException($"{Name}: '{reference}' is not a digest");
        }

        var stored = await _manifests.FindAsync(_repository, digest.ToString(), cancellationToken).ConfigureAwait(false)
            ?? throw new ImageSourceException($"{Name}: manifest {digest} is not in repository {_repository}");
        if (stored.Size > _limits.MaxManifestBytes)
        {
            throw new ImageSourceException($"{Name}: manifest {digest} is larger than {_limits.MaxManifestBytes} bytes");
        }

        var content = (await _manifests.ReadContentAsync(stored, cancellationToken).ConfigureAwait(false)).ToArray();
        if (Digest.Compute(content, digest.Algorithm) != digest)
        {
            throw new HostileImageException(HostileImageReason.DigestMismatch, $"{Name}: stored manifest does not match its digest {digest}");
        }

        return new FetchedManifest(content, stored.MediaType, digest.ToString());
    }

    async Task<Stream> AnalysisBlobStore.OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (!Digest.TryParse(descriptor.Digest, out var digest))
        {
            throw new ImageSourceException($"{Name}: '{descriptor.Digest}' is not a digest");
        }

        var stream = await _blobs.OpenReadAsync(digest, cancellationToken).ConfigureAwait(false)
            ?? throw new ImageSourceException($"{Name}: blob {digest} is missing from storage");
        return new VerifyingReadStream(stream, digest, descriptor.Size);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
