namespace Bulwark.Analysis.Layers;

/// <summary>
/// One entry of a layer with a normalised relative path (<c>usr/bin/bash</c>). For a whiteout the path is the
/// deleted path, for an opaque marker the directory. <see cref="LinkTarget"/> is the raw symlink target or the
/// normalised hardlink target. <see cref="OpenContent"/> opens a regular file's bytes; the stream is valid only
/// until the next entry is requested, and the caller disposes it. <see cref="LayerIndex"/> is set by the layer
/// overlay before content inspectors see the entry.
/// </summary>
public sealed record LayerEntry
{
    public required string Path { get; init; }

    public required LayerEntryType Type { get; init; }

    public long Size { get; init; }

    /// <summary>Permission bits, including setuid, setgid and sticky (<see cref="UnixFileMode.SetUser"/>…).</summary>
    public UnixFileMode Mode { get; init; }

    /// <summary>Owner user id from the tar header; 0 when the source does not record it.</summary>
    public int Uid { get; init; }

    /// <summary>Owner group id from the tar header; 0 when the source does not record it.</summary>
    public int Gid { get; init; }

    /// <summary>Index of the layer the entry belongs to (0 is the base).</summary>
    public int LayerIndex { get; init; }

    public string? LinkTarget { get; init; }

    public Func<Stream>? OpenContent { get; init; }
}
