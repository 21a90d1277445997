namespace Bulwark.Analysis.Configuration;

/// <summary>Why a permission is risky.</summary>
public enum FilePermissionKind
{
    /// <summary>A regular file with the setuid or setgid bit: runs with its owner's or group's rights.</summary>
    SetId,

    /// <summary>A regular file anyone may write.</summary>
    WorldWritableFile,

    /// <summary>A directory anyone may write without the sticky bit: anyone may delete or replace others' files in it.</summary>
    WorldWritableDirectory,
}
