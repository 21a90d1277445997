using Bulwark.Analysis.Inspection;
using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Tests.Inspection;

/// <summary>A test inspector that records what it was given: entries, stream kinds, and the content it read.</summary>
internal sealed class RecordingInspector(Func<LayerEntry, bool> wants, bool seekable = false, bool everyLayer = false) : IContentInspector
{
    public string Name => "recording";

    public bool NeedsSeekableContent => seekable;

    public List<(string Path, int Layer, LayerEntryType Type, bool CanSeek, long Length, string? SpillPath)> Seen { get; } = [];

    public bool Wants(LayerEntry entry) => wants(entry);

    public async ValueTask InspectAsync(LayerEntry entry, Stream content, InspectionSink sink, CancellationToken cancellationToken)
    {
        long length;
        if (content.CanSeek)
        {
            // Read the last byte first, as an ELF section-header reader would, then the whole content.
            length = content.Length;
            if (length > 0)
            {
                content.Seek(-1, SeekOrigin.End);
                Assert.NotEqual(-1, content.ReadByte());
                content.Seek(0, SeekOrigin.Begin);
            }
        }

        length = 0;
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            length += read;
        }

        Seen.Add((entry.Path, entry.LayerIndex, entry.Type, content.CanSeek, length, (content as FileStream)?.Name));
        if (everyLayer)
        {
            sink.AddLayerResult(length);
        }
        else
        {
            sink.AddFinalViewResult(length);
        }
    }
}
