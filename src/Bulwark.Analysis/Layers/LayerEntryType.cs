namespace Bulwark.Analysis.Layers;

/// <summary>What a layer entry is, after whiteout names are recognised.</summary>
public enum LayerEntryType
{
    RegularFile,
    Directory,
    Symlink,
    Hardlink,

    /// <summary>Device, fifo and the like: present in the view, never read.</summary>
    Other,

    /// <summary><c>.wh.name</c>: deletes <c>name</c> from lower layers.</summary>
    Whiteout,

    /// <summary><c>.wh..wh..opq</c>: hides what lower layers have inside the directory.</summary>
    OpaqueDirectory,
}
