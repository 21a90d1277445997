namespace Bulwark.Analysis.Executables;

/// <summary>The final-view inspection result for an executable file (path and layer come with the result).</summary>
public sealed record ExecutableContent
{
    public required ExecutableKind Kind { get; init; }

    public required long Size { get; init; }

    public required string Sha256 { get; init; }

    public required UnixFileMode Mode { get; init; }

    public int Uid { get; init; }

    public int Gid { get; init; }

    /// <summary>The <c>#!</c> line of a script without the <c>#!</c> (<c>/bin/sh</c>, <c>/usr/bin/env python3</c>).</summary>
    public string? Interpreter { get; init; }
}
