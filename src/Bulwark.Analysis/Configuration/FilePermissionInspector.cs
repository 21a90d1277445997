using Bulwark.Analysis.Inspection;
using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Configuration;

/// <summary>
/// Records setuid/setgid regular files, world-writable regular files and world-writable directories without
/// the sticky bit, from the tar headers alone (the content is not read). Results belong to the final view, so a
/// later layer that fixes the mode or deletes the file clears them. Symbolic links (always 0777) are ignored.
/// </summary>
public sealed class FilePermissionInspector : IContentInspector
{
    public string Name => "permissions";

    public bool Wants(LayerEntry entry) => KindOf(entry) is not null;

    public bool Accepts(LayerEntry entry, ReadOnlySpan<byte> head) => true;

    public ValueTask InspectAsync(LayerEntry entry, Stream content, InspectionSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(sink);
        if (KindOf(entry) is { } kind)
        {
            sink.AddFinalViewResult(new RiskyFileMode { Kind = kind, Mode = entry.Mode, Uid = entry.Uid, Gid = entry.Gid });
        }

        return ValueTask.CompletedTask;
    }

    private static FilePermissionKind? KindOf(LayerEntry entry) => entry.Type switch
    {
        LayerEntryType.RegularFile when (entry.Mode & (UnixFileMode.SetUser | UnixFileMode.SetGroup)) != 0 => FilePermissionKind.SetId,
        // Empty files are left out: a root filesystem directory cannot tell device nodes (dev/null is 0666) from them.
        LayerEntryType.RegularFile when (entry.Mode & UnixFileMode.OtherWrite) != 0 && entry.Size > 0 => FilePermissionKind.WorldWritableFile,
        LayerEntryType.Directory when (entry.Mode & UnixFileMode.OtherWrite) != 0 && (entry.Mode & UnixFileMode.StickyBit) == 0
            => FilePermissionKind.WorldWritableDirectory,
        _ => null,
    };
}
