using Bulwark.Analysis;
using Bulwark.Analysis.Registry;
using Bulwark.Analysis.Sources;
using Bulwark.Oci;
using Bulwark.Policy.Images;

namespace Bulwark.Cli.Commands.Policy;

/// <summary>Looks up approved base images in their registries (same platform as the checked image; credentials from the auth files,
/// or <c>--creds</c> when the base image is on the checked image's registry).</summary>
internal sealed class RegistryBaseImageResolver(HttpClient http, RegistrySourceOptions options, string checkedRegistry, PlatformSelection platform)
    : IBaseImageResolver
{
    public async ValueTask<BaseImageFacts?> ResolveAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var own = string.Equals(reference.Registry, checkedRegistry, StringComparison.OrdinalIgnoreCase) ? options : options with { Credential = null };
        var client = new RegistryClient(http, reference, own);
        try
        {
            if (await client.TryGetManifestAsync(reference.ManifestReference, cancellationToken) is null)
            {
                return null;
            }

            var image = await RegistryImage.FetchAsync(client, reference, platform, cancellationToken);
            var diffIds = (image.Config?.RootFs?.DiffIds ?? []).Select(d => Digest.TryParse(d, out var parsed) ? parsed : (Digest?)null)
                .OfType<Digest>().ToList();
            return new BaseImageFacts(image.PlatformDigest, image.Layers, diffIds);
        }
        catch (Exception e) when (e is ImageSourceException or HostileImageException or ManifestFormatException or HttpRequestException or FormatException)
        {
            throw new BaseImageResolutionException(e.Message, e);
        }
    }
}
