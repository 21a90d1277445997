using Bulwark.Analysis.Registry;
using Bulwark.Oci;

namespace Bulwark.Analysis.Sources;

/// <summary>
/// Opens the source a user names: <c>oci:DIR[:TAG]</c>, <c>docker-archive:FILE</c>, <c>dir:DIR</c>,
/// <c>docker://REF</c> explicitly (skopeo's transport names), or by what exists: a directory with
/// <c>oci-layout</c> is an OCI layout, another directory a root filesystem, a file a docker-archive tar, and
/// anything else an image reference in a registry.
/// </summary>
public static class ImageSources
{
    public static IImageSource Open(string source, RegistrySourceOptions? registryOptions = null, AnalysisLimits? limits = null)
    {
        limits ??= registryOptions?.Limits ?? AnalysisLimits.Default;
        if (source.StartsWith("oci:", StringComparison.Ordinal))
        {
            var rest = source[4..];
            var colon = rest.LastIndexOf(':');
            return colon > 0 && !Directory.Exists(rest) ? new OciLayoutSource(rest[..colon], rest[(colon + 1)..], limits) : new OciLayoutSource(rest, null, limits);
        }

        if (source.StartsWith("docker-archive:", StringComparison.Ordinal))
        {
            return new DockerArchiveSource(source["docker-archive:".Length..], limits);
        }

        if (source.StartsWith("dir:", StringComparison.Ordinal))
        {
            return new RootFsSource(source[4..]);
        }

        if (source.StartsWith("docker://", StringComparison.Ordinal))
        {
            return OpenRegistry(source["docker://".Length..], registryOptions, limits);
        }

        if (Directory.Exists(source))
        {
            return File.Exists(Path.Combine(source, "oci-layout")) ? new OciLayoutSource(source, null, limits) : new RootFsSource(source);
        }

        if (File.Exists(source))
        {
            return new DockerArchiveSource(source, limits);
        }

        return OpenRegistry(source, registryOptions, limits);
    }

    private static RegistrySource OpenRegistry(string reference, RegistrySourceOptions? options, AnalysisLimits limits) =>
        ImageReference.TryParse(reference, out var parsed)
            ? new RegistrySource(parsed, (options ?? new RegistrySourceOptions()) with { Limits = limits })
            : throw new ImageSourceException($"'{reference}' is neither an existing path nor an image reference");
}
