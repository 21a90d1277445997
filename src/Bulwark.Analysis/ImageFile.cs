namespace Bulwark.Analysis;

/// <summary>A captured file of the image: its path in the view, the layer it came from and its content.</summary>
public sealed record ImageFile
{
    /// <summary>Relative path (<c>var/lib/dpkg/status</c>).</summary>
    public required string Path { get; init; }

    public required int LayerIndex { get; init; }

    public required long Size { get; init; }

    public UnixFileMode Mode { get; init; }

    public required FileContent Content { get; init; }

    public required string Sha256 { get; init; }
}
