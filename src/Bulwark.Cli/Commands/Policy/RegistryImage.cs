using Bulwark.Analysis;
using Bulwark.Analysis.Registry;
using Bulwark.Analysis.Sources;
using Bulwark.Oci;

namespace Bulwark.Cli.Commands.Policy;

/// <summary>
/// One image in a registry as policy needs it: the digest its tag resolves to (what signatures name; the index digest
/// for a multi-platform image), and the chosen platform's manifest digest, annotations, layers and config.
/// </summary>
internal sealed record RegistryImage(Digest Digest, Digest PlatformDigest, IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<Digest> Layers, ImageConfig? Config)
{
    public static async Task<RegistryImage> FetchAsync(RegistryClient client, ImageReference reference, PlatformSelection platform,
        CancellationToken cancellationToken)
    {
        var (content, mediaType, digestText) = await client.GetManifestAsync(reference.ManifestReference, cancellationToken);
        var top = ManifestParser.Parse(content, mediaType);
        var annotations = new Dictionary<string, string>(top.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var manifest = top;
        var platformDigest = Digest.Parse(digestText);
        if (top.IsIndex)
        {
            var entry = top.References.FirstOrDefault(d => platform.Matches(d.Platform))
                ?? throw new ImageSourceException($"{reference}: no image for platform {platform} in the index");
            var (entryContent, entryType, entryDigest) = await client.GetManifestAsync(entry.Digest, cancellationToken);
            manifest = ManifestParser.Parse(entryContent, entryType);
            if (manifest.IsIndex)
            {
                throw new ImageSourceException($"{reference}: nested image indexes are not supported");
            }

            platformDigest = Digest.Parse(entryDigest);
            foreach (var (key, value) in manifest.Annotations ?? new Dictionary<string, string>())
            {
                annotations[key] = value;
            }
        }

        ImageConfig? config = null;
        if (manifest.Config is { MediaType: MediaTypes.OciConfig or MediaTypes.DockerConfig } configDescriptor)
        {
            config = ImageConfig.Parse(await RegistryBlobs.ReadAsync(client, configDescriptor, ImageConfig.MaxLength, cancellationToken));
        }

        var layers = manifest.References.Skip(manifest.Config is null ? 0 : 1).Select(d => Digest.TryParse(d.Digest, out var layer) ? layer
            : throw new ImageSourceException($"{reference}: layer digest '{d.Digest}' is not valid")).ToList();
        return new RegistryImage(Digest.Parse(digestText), platformDigest, annotations, layers, config);
    }
}
