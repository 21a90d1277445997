namespace Bulwark.Analysis.Executables;

/// <summary>
/// An executable file of the final view: the allowlist that runtime drift detection compares running binaries
/// against.
/// </summary>
public sealed record Executable
{
    /// <summary>Relative path (<c>usr/bin/bash</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The layer the final version of the file came from.</summary>
    public required int LayerIndex { get; init; }

    public required ExecutableKind Kind { get; init; }

    public required long Size { get; init; }

    public required string Sha256 { get; init; }

    /// <summary>Permission bits, octal as <c>ls</c> would show them with setuid/setgid/sticky (<c>4755</c>).</summary>
    public required string Mode { get; init; }

    public int Uid { get; init; }

    public int Gid { get; init; }

    /// <summary>For a script, its <c>#!</c> line without the marker.</summary>
    public string? Interpreter { get; init; }

    internal static string OctalMode(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');

    internal static Executable From(Inspection.InspectionResult<ExecutableContent> result) => new()
    {
        Path = result.Path,
        LayerIndex = result.LayerIndex,
        Kind = result.Value.Kind,
        Size = result.Value.Size,
        Sha256 = result.Value.Sha256,
        Mode = OctalMode(result.Value.Mode),
        Uid = result.Value.Uid,
        Gid = result.Value.Gid,
        Interpreter = result.Value.Interpreter,
    };
}
