namespace Bulwark.Analysis.Executables;

/// <summary>How the kernel would run an executable file.</summary>
public enum ExecutableKind
{
    /// <summary>An ELF object (<c>7f 45 4c 46</c>).</summary>
    Elf,

    /// <summary>A script run by the interpreter named on its <c>#!</c> line.</summary>
    Script,
}
