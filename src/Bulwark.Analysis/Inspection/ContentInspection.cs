using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Inspection;

/// <summary>
/// Runs the content inspectors on the entries of the layer being read. Each regular file's bytes are read once:
/// the head is peeked, inspectors that accept it get the content — the tar stream itself when a single inspector
/// reads forward only, else a seekable copy (in memory up to <see cref="AnalysisLimits.MaxInMemoryFileBytes"/>,
/// otherwise a workspace file deleted as soon as the inspectors are done). Memory stays flat whatever the file size.
/// </summary>
internal sealed class ContentInspection
{
    /// <summary>Bytes peeked at the start of a file before inspectors decide (git's binary sniff looks at 8,000).</summary>
    public const int HeadLength = 8192;

    private readonly IReadOnlyList<IContentInspector> inspectors;
    private readonly AnalysisLimits limits;
    private readonly AnalysisWorkspace workspace;
    private readonly ICollection<string> warnings;
    private readonly InspectionSink sink;
    private readonly List<IContentInspector> wanting = [];
    private readonly List<IContentInspector> accepting = [];
    private readonly byte[] head = new byte[HeadLength];

    public ContentInspection(IReadOnlyList<IContentInspector> inspectors, AnalysisLimits limits, AnalysisWorkspace workspace,
        InspectionResults results, ICollection<string> warnings)
        : this(inspectors, limits, workspace, results, warnings, new InspectionSink(results, warnings))
    {
    }

    private ContentInspection(IReadOnlyList<IContentInspector> inspectors, AnalysisLimits limits, AnalysisWorkspace workspace,
        InspectionResults results, ICollection<string> warnings, InspectionSink sink)
    {
        this.inspectors = inspectors;
        this.limits = limits;
        this.workspace = workspace;
        this.warnings = warnings;
        Results = results;
        this.sink = sink;
    }

    public InspectionResults Results { get; }

    /// <summary>
    /// Another inspection with the same inspectors and its own buffers that records what it finds instead of adding it
    /// to <see cref="Results"/>, so that an entry can be inspected on another thread; <see cref="Commit"/> adds the
    /// record, in the order the entries came (the inspectors are stateless, so several lanes may run at once).
    /// </summary>
    public ContentInspection CreateLane() => new(inspectors, limits, workspace, Results, warnings, InspectionSink.Recording());

    /// <summary>Adds what this lane recorded to the results and warnings it was created for.</summary>
    public void Commit() => sink.CommitTo(Results, warnings);

    /// <summary>Selects the inspectors that want <paramref name="entry"/>; true when there is one.</summary>
    public bool Select(LayerEntry entry)
    {
        wanting.Clear();
        foreach (var inspector in inspectors)
        {
            if (inspector.Wants(entry))
            {
                wanting.Add(inspector);
            }
        }

        return wanting.Count > 0;
    }

    /// <summary>Inspects an entry without content (directory, link…) with the selected inspectors.</summary>
    public async Task InspectWithoutContentAsync(LayerEntry entry, CancellationToken cancellationToken)
    {
        foreach (var inspector in wanting)
        {
            await RunAsync(inspector, entry, Stream.Null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Inspects a regular file already captured for an analyzer (its content is seekable and stays).</summary>
    public async Task InspectCapturedAsync(LayerEntry entry, FileContent content, CancellationToken cancellationToken)
    {
        var length = (int)Math.Min(HeadLength, content.Length);
        await using (var stream = content.OpenRead())
        {
            length = await stream.ReadAtLeastAsync(head.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }

        if (!Accept(entry, length))
        {
            return;
        }

        foreach (var inspector in accepting)
        {
            await using var stream = content.OpenRead();
            await RunAsync(inspector, entry, stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Inspects a regular file straight from the layer stream.</summary>
    public async Task InspectStreamAsync(LayerEntry entry, CancellationToken cancellationToken)
    {
        await using var source = entry.OpenContent!();
        var headLength = (int)Math.Min(HeadLength, entry.Size);
        try
        {
            await source.ReadExactlyAsync(head.AsMemory(0, headLength), cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw Truncated(entry);
        }

        if (!Accept(entry, headLength))
        {
            return;
        }

        if (accepting.Count == 1 && !accepting[0].NeedsSeekableContent)
        {
            await using var stream = new PrefixedReadStream(head.AsMemory(0, headLength), source);
            await RunAsync(accepting[0], entry, stream, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (entry.Size <= limits.MaxInMemoryFileBytes)
        {
            var bytes = AnalysisBuffers.Bytes.Rent((int)entry.Size);
            try
            {
                head.AsSpan(0, headLength).CopyTo(bytes);
                await ReadRestAsync(entry, source, bytes.AsMemory(headLength, (int)entry.Size - headLength), cancellationToken).ConfigureAwait(false);
                foreach (var inspector in accepting)
                {
                    await using var stream = new MemoryStream(bytes, 0, (int)entry.Size, writable: false);
                    await RunAsync(inspector, entry, stream, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                AnalysisBuffers.Bytes.Return(bytes);
            }

            return;
        }

        var spill = workspace.NewFilePath(".inspect");
        try
        {
            await SpillAsync(entry, source, headLength, spill, cancellationToken).ConfigureAwait(false);
            foreach (var inspector in accepting)
            {
                await using var stream = new FileStream(spill, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
                await RunAsync(inspector, entry, stream, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(spill);
        }
    }

    private bool Accept(LayerEntry entry, int headLength)
    {
        accepting.Clear();
        foreach (var inspector in wanting)
        {
            if (inspector.Accepts(entry, head.AsSpan(0, headLength)))
            {
                accepting.Add(inspector);
            }
        }

        return accepting.Count > 0;
    }

    private async Task SpillAsync(LayerEntry entry, Stream source, int headLength, string path, CancellationToken cancellationToken)
    {
        var buffer = AnalysisBuffers.Bytes.Rent(81920);
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await target.WriteAsync(head.AsMemory(0, headLength), cancellationToken).ConfigureAwait(false);
            var remaining = entry.Size - headLength;
            while (remaining > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw Truncated(entry);
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                remaining -= read;
            }
        }
        finally
        {
            AnalysisBuffers.Bytes.Return(buffer);
        }
    }

    private static async Task ReadRestAsync(LayerEntry entry, Stream source, Memory<byte> rest, CancellationToken cancellationToken)
    {
        try
        {
            await source.ReadExactlyAsync(rest, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw Truncated(entry);
        }
    }

    private async Task RunAsync(IContentInspector inspector, LayerEntry entry, Stream content, CancellationToken cancellationToken)
    {
        sink.Entry = entry;
        sink.InspectorName = inspector.Name;
        try
        {
            await inspector.InspectAsync(entry, content, sink, cancellationToken).ConfigureAwait(false);
        }
        catch (InspectionException e)
        {
            sink.AddInspectorWarning($"{inspector.Name}: {entry.Path} (layer {entry.LayerIndex}): {e.Message}");
        }
        finally
        {
            sink.Entry = null;
        }
    }

    private static HostileImageException Truncated(LayerEntry entry) =>
        new(HostileImageReason.MalformedArchive, $"entry '{entry.Path}' is shorter than its header says");
}
