namespace Bulwark.Analysis.Configuration;

/// <summary>A final-view result: a risky permission on a file or directory, read from the tar header.</summary>
public sealed record RiskyFileMode
{
    public required FilePermissionKind Kind { get; init; }

    public required UnixFileMode Mode { get; init; }

    public int Uid { get; init; }

    public int Gid { get; init; }
}
