using Bulwark.Analysis.Inventory;
using Bulwark.Oci;

namespace Bulwark.Analysis.Sources;

/// <summary>
/// Turns a manifest or index into source images: picks the platforms of an index, reads each image's config
/// and describes its layers, matching config history entries to layers in order.
/// </summary>
internal static class OciImageResolver
{
    private const int MaxIndexDepth = 4;

    public static async Task<IReadOnlyList<SourceImage>> ResolveAsync(IBlobStore store, FetchedManifest root, string source,
        PlatformSelection platforms, AnalysisLimits limits, CancellationToken cancellationToken)
    {
        var images = new List<SourceImage>();
        await CollectAsync(store, root, source, platforms, limits, images, 0, platformHint: null, cancellationToken).ConfigureAwait(false);
        return images;
    }

    private static async Task CollectAsync(IBlobStore store, FetchedManifest fetched, string source, PlatformSelection platforms,
        AnalysisLimits limits, List<SourceImage> images, int depth, Platform? platformHint, CancellationToken cancellationToken)
    {
        if (fetched.Content.Length > limits.MaxManifestBytes)
        {
            throw new ImageSourceException($"manifest {fetched.Digest} is larger than {limits.MaxManifestBytes} bytes");
        }

        ManifestDocument manifest;
        try
        {
            manifest = ManifestParser.Parse(fetched.Content, fetched.MediaType);
        }
        catch (ManifestFormatException e)
        {
            throw new ImageSourceException($"manifest {fetched.Digest} of {source} is invalid: {e.Message}", e);
        }

        if (manifest.IsIndex)
        {
            if (depth >= MaxIndexDepth)
            {
                throw new ImageSourceException($"indexes of {source} are nested more than {MaxIndexDepth} deep");
            }

            var children = manifest.References.Where(d => !IsAttestation(d)).ToList();
            var chosen = children.Where(d => d.Platform is null ? platforms.IsAll : platforms.Matches(d.Platform)).ToList();
            if (chosen.Count == 0 && depth == 0)
            {
                var available = string.Join(", ", children.Select(d => d.Platform?.ToString() ?? "unknown"));
                throw new ImageSourceException($"{source} has no image for platform {platforms} (it has: {available})");
            }

            foreach (var child in chosen)
            {
                var childManifest = await store.GetManifestAsync(child.Digest, cancellationToken).ConfigureAwait(false);
                await CollectAsync(store, childManifest with { MediaType = childManifest.MediaType ?? child.MediaType }, source, platforms,
                    limits, images, depth + 1, child.Platform, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var configDescriptor = manifest.Config!;
        if (configDescriptor.Size > limits.MaxManifestBytes)
        {
            throw new ImageSourceException($"config {configDescriptor.Digest} is larger than {limits.MaxManifestBytes} bytes");
        }

        ImageConfig config;
        await using (var configStream = await store.OpenBlobAsync(configDescriptor, cancellationToken).ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await configStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            try
            {
                config = ImageConfig.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            }
            catch (ManifestFormatException e)
            {
                throw new ImageSourceException($"config of {source} is invalid: {e.Message}", e);
            }
        }

        var platform = platformHint ?? (config.Os is not null && config.Architecture is not null
            ? new Platform { Os = config.Os, Architecture = config.Architecture, Variant = config.Variant }
            : null);
        var layers = manifest.References.Skip(1).ToList();
        if (layers.Count > limits.MaxLayers)
        {
            throw new HostileImageException(HostileImageReason.TooManyLayers, $"image has {layers.Count} layers, over MaxLayers ({limits.MaxLayers})");
        }

        var infos = DescribeLayers(config, [.. layers.Select(d => ((string?)d.Digest, (string?)d.MediaType, (long?)d.Size))]);
        images.Add(new SourceImage
        {
            Source = source,
            ManifestDigest = fetched.Digest,
            ConfigDigest = configDescriptor.Digest,
            Platform = platform,
            Config = config,
            Annotations = manifest.Annotations,
            Layers = [.. layers.Select((d, i) => new BlobLayer(infos[i], ct => store.OpenBlobAsync(d, ct)))],
        });
    }

    /// <summary>Layer facts from the manifest plus diff ids and build steps from the config.</summary>
    internal static List<LayerInfo> DescribeLayers(ImageConfig? config, IReadOnlyList<(string? Digest, string? MediaType, long? Size)> layers)
    {
        var diffIds = config?.RootFs?.DiffIds ?? [];
        var history = config?.LayerHistory() ?? [];
        // History lines up with layers only when it has one non-empty entry per layer.
        var historyUsable = history.Count == layers.Count;
        return [.. layers.Select((l, i) => new LayerInfo
        {
            Index = i,
            Digest = l.Digest,
            DiffId = i < diffIds.Count ? diffIds[i] : null,
            MediaType = l.MediaType,
            Size = l.Size,
            CreatedBy = historyUsable ? history[i].CreatedBy : null,
        })];
    }

    // Build attestations (buildx) are index children with platform unknown/unknown.
    private static bool IsAttestation(Descriptor descriptor) =>
        descriptor.Annotations?.ContainsKey("vnd.docker.reference.type") == true
        || descriptor.Platform is { Os: "unknown", Architecture: "unknown" };
}
