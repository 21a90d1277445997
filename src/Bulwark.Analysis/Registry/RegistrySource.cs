using Bulwark.Analysis.Sources;
using Bulwark.Oci;

namespace Bulwark.Analysis.Registry;

/// <summary>An image in a registry (ours or any other), pulled layer by layer as analysis streams it.</summary>
public sealed class RegistrySource : IImageSource, IBlobStore
{
    private readonly ImageReference reference;
    private readonly RegistrySourceOptions options;
    private readonly RegistryClient client;
    private readonly HttpClient? ownedHttp;

    public RegistrySource(ImageReference reference, RegistrySourceOptions? options = null, HttpClient? http = null)
    {
        this.reference = reference;
        this.options = options ?? new RegistrySourceOptions();
        if (http is null)
        {
            ownedHttp = http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
        }

        client = new RegistryClient(http, reference, this.options);
        Name = reference.ToString();
    }

    public string Name { get; }

    public async Task<IReadOnlyList<SourceImage>> GetImagesAsync(PlatformSelection platforms, CancellationToken cancellationToken)
    {
        var root = await ((IBlobStore)this).GetManifestAsync(reference.ManifestReference, cancellationToken).ConfigureAwait(false);
        return await OciImageResolver.ResolveAsync(this, root, Name, platforms, options.Limits, cancellationToken).ConfigureAwait(false);
    }

    async Task<FetchedManifest> IBlobStore.GetManifestAsync(string manifestReference, CancellationToken cancellationToken)
    {
        var (content, mediaType, digest) = await client.GetManifestAsync(manifestReference, cancellationToken).ConfigureAwait(false);
        return new FetchedManifest(content, mediaType, digest);
    }

    async Task<Stream> IBlobStore.OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        var digest = Digest.TryParse(descriptor.Digest, out var parsed) ? parsed
            : throw new ImageSourceException($"{Name}: '{descriptor.Digest}' is not a digest");
        var body = await client.OpenBlobAsync(descriptor.Digest, cancellationToken).ConfigureAwait(false);
        return new VerifyingReadStream(body, digest, descriptor.Size);
    }

    public ValueTask DisposeAsync()
    {
        ownedHttp?.Dispose();
        return ValueTask.CompletedTask;
    }
}
