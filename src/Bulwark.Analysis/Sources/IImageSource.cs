namespace Bulwark.Analysis.Sources;

/// <summary>
/// Where images come from: a registry, an OCI layout directory, a docker-archive tar, a root filesystem. A source
/// resolves to one image per selected platform; analysis is the same for every kind.
/// </summary>
public interface IImageSource : IAsyncDisposable
{
    /// <summary>The source as the caller named it.</summary>
    string Name { get; }

    Task<IReadOnlyList<SourceImage>> GetImagesAsync(PlatformSelection platforms, CancellationToken cancellationToken);
}
