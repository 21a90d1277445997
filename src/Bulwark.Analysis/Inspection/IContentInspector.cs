using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Inspection;

/// <summary>
/// Looks at layer entries while the layers stream, in the same single pass that builds the final view. The
/// overlay asks <see cref="Wants"/> for every entry (files, directories, links…); for a wanted regular file it
/// reads the first <see cref="ContentInspection.HeadLength"/> bytes, asks <see cref="Accepts"/>, and only then
/// hands the content to <see cref="InspectAsync"/>. Other wanted entries get an empty stream.
/// </summary>
public interface IContentInspector
{
    /// <summary>Short name used in warnings (<c>executables</c>, <c>secrets</c>).</summary>
    string Name { get; }

    /// <summary>
    /// True when the inspector must be able to seek (readers of ELF section headers at the end of a file). Its
    /// content is then buffered in memory up to <see cref="AnalysisLimits.MaxInMemoryFileBytes"/>, else spilled
    /// to the analysis workspace and deleted right after; otherwise it may get the tar stream itself.
    /// </summary>
    bool NeedsSeekableContent => false;

    /// <summary>Decides from the header alone (path, type, mode, size, owner, layer); called for every entry.</summary>
    bool Wants(LayerEntry entry);

    /// <summary>Decides from the first bytes of a wanted regular file (shorter when the file is); cheap checks only.</summary>
    bool Accepts(LayerEntry entry, ReadOnlySpan<byte> head) => true;

    /// <summary>
    /// Reads <paramref name="content"/> (the whole file, from its first byte) and reports to <paramref name="sink"/>.
    /// Throw <see cref="InspectionException"/> for content it cannot make sense of; it becomes a warning.
    /// </summary>
    ValueTask InspectAsync(LayerEntry entry, Stream content, InspectionSink sink, CancellationToken cancellationToken);
}
