namespace Bulwark.Analysis.Layers;

/// <summary>
/// One entry of a layer with a normalised relative path (<c>usr/bin/bash</c>). For a whiteout the path is the
/// deleted path, for an opaque marker the directory. <see cref="LinkTarget"/> is the raw symlink target or the
/// normalised hardlink target. <see cref="OpenContent"/> opens a regular file's bytes; the stream is valid only
/// until the next entry is requested, and the caller disposes it.
/// </summary>
public sealed record LayerEntry
{
    public required string Path { get; init; }

    public required LayerEntryType Type { get; init; }

    public long Size { get; init; }

    public UnixFileMode Mode { get; init; }

    public string? LinkTarget { get; init; }

    public Func<Stream>? OpenContent { get; init; }
}
