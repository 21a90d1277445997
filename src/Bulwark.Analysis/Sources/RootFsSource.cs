namespace Bulwark.Analysis.Sources;

/// <summary>A root filesystem directory (an unpacked image, a chroot, a <c>debootstrap</c> target).</summary>
public sealed class RootFsSource : IImageSource
{
    private readonly string directory;

    public RootFsSource(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new ImageSourceException($"{directory} is not a directory");
        }

        this.directory = directory;
        Name = directory;
    }

    public string Name { get; }

    public Task<IReadOnlyList<SourceImage>> GetImagesAsync(PlatformSelection platforms, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SourceImage>>([new SourceImage { Source = Name, Layers = [new DirectoryLayer(directory)] }]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
