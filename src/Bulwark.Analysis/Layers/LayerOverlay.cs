using System.Security.Cryptography;
using Bulwark.Analysis.Inspection;

namespace Bulwark.Analysis.Layers;

/// <summary>
/// Applies layers in order to build the final view (image-spec layer.md "Applying Changesets"): later entries
/// replace earlier ones, a whiteout deletes a path and everything under it from lower layers, an opaque marker
/// hides what lower layers put in its directory. Only wanted files keep their content; symlinks are kept as
/// metadata so that paths can be resolved inside the root afterwards. When content inspectors are given, every
/// entry is offered to them as it streams, and their final-view results follow the same replace and delete rules
/// as files.
/// </summary>
internal sealed class LayerOverlay(Func<string, bool> wanted, Func<string, bool> keepHistory, AnalysisLimits limits,
    AnalysisWorkspace workspace, ICollection<string> warnings, ContentInspection? inspection = null)
{
    private readonly InspectionResults? results = inspection?.Results;

    private readonly SortedSet<string> tracked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImageFile> files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkRecord> symlinks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkRecord> hardlinks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ImageFile>> history = new(StringComparer.Ordinal);
    private readonly HashSet<string> pendingTargets = new(StringComparer.Ordinal);

    // Inspections running ahead on the thread pool (directory layers only), oldest first, and the lanes they free.
    private static readonly int MaxInFlight = Environment.ProcessorCount > 1 ? 2 * Environment.ProcessorCount : 0;
    private readonly Queue<(string Path, ContentInspection Lane, Task Job)> inFlight = new();
    private readonly Stack<ContentInspection> idleLanes = new();

    // Hash codes of every file path seen (wanted or not), so that a second pass is made only for link targets
    // that may exist; a collision costs at most a needless pass. Four bytes an entry, bounded by the entry limits.
    private readonly HashSet<int> seenFiles = [];

    /// <summary>Hard link targets whose content was not captured (the target itself was not wanted).</summary>
    public IReadOnlyCollection<string> PendingTargets => pendingTargets;

    /// <summary>
    /// Applies one layer. <paramref name="independentEntries"/> says that the layer is a directory on disk: every path
    /// occurs once and a file's content can be opened at any time, from any thread, while other files are open. Such a
    /// layer's files are then inspected on the thread pool, several at a time, and what the inspectors find is committed
    /// in entry order, so the results and warnings are the same as when they are inspected one after the other.
    /// </summary>
    public async Task ApplyAsync(int layer, IAsyncEnumerable<LayerEntry> entries, bool independentEntries, CancellationToken cancellationToken)
    {
        var ahead = independentEntries && inspection is not null && MaxInFlight > 0;
        try
        {
            await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                switch (entry.Type)
                {
                    case LayerEntryType.OpaqueDirectory:
                        await DrainAsync().ConfigureAwait(false);
                        RemoveBelow(entry.Path, includeSelf: false, layer);
                        break;
                    case LayerEntryType.Whiteout:
                        await DrainAsync().ConfigureAwait(false);
                        RemoveBelow(entry.Path, includeSelf: true, layer);
                        break;
                    case LayerEntryType.Directory:
                        // A directory replaces a lower file or link of the same name but keeps lower content below it.
                        Remove(entry.Path);
                        await InspectAsync(layer, entry, null, ahead, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        if (entry.Type is LayerEntryType.RegularFile or LayerEntryType.Hardlink)
                        {
                            seenFiles.Add(entry.Path.GetHashCode(StringComparison.Ordinal));
                        }

                        if (!ahead || entry.Type is not (LayerEntryType.RegularFile or LayerEntryType.Symlink) || wanted(entry.Path))
                        {
                            // Capturing may warn, and a hard link reads its target's results: everything before goes first.
                            await DrainAsync().ConfigureAwait(false);
                        }

                        RemoveBelow(entry.Path, includeSelf: true, layer + 1);
                        var captured = await AddAsync(layer, entry, cancellationToken).ConfigureAwait(false);
                        if (entry.Type is LayerEntryType.Hardlink && results is not null && results.CopyFinal(entry.LinkTarget!, entry.Path, layer))
                        {
                            tracked.Add(entry.Path);
                        }

                        await InspectAsync(layer, entry, captured, ahead && captured is null, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }

            await DrainAsync().ConfigureAwait(false);
        }
        finally
        {
            // After a failure, no inspection may still read a file or the workspace once the caller moves on.
            while (inFlight.TryDequeue(out var pending))
            {
                await pending.Job.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Offers the entry to the inspectors; a file an analyzer captured is inspected from its captured copy.</summary>
    private async Task InspectAsync(int layer, LayerEntry entry, ImageFile? captured, bool ahead, CancellationToken cancellationToken)
    {
        if (inspection is null || entry.Type is LayerEntryType.Hardlink)
        {
            return;
        }

        var located = entry with { LayerIndex = layer };
        if (!ahead)
        {
            await DrainAsync().ConfigureAwait(false);
            if (inspection.Select(located))
            {
                await InspectOnAsync(inspection, located, captured, cancellationToken).ConfigureAwait(false);
                TrackResults(entry.Path);
            }

            return;
        }

        var lane = idleLanes.TryPop(out var idle) ? idle : inspection.CreateLane();
        if (!lane.Select(located))
        {
            idleLanes.Push(lane);
            return;
        }

        // Only a regular file's content is worth a thread; the rest is inspected here and queued behind the files before it.
        var job = entry.Type is LayerEntryType.RegularFile
            ? Task.Run(() => InspectOnAsync(lane, located, null, cancellationToken), cancellationToken)
            : InspectOnAsync(lane, located, null, cancellationToken);
        inFlight.Enqueue((entry.Path, lane, job));
        while (inFlight.Count > MaxInFlight)
        {
            await CommitOldestAsync().ConfigureAwait(false);
        }
    }

    private static async Task InspectOnAsync(ContentInspection on, LayerEntry located, ImageFile? captured, CancellationToken cancellationToken)
    {
        if (located.Type is not LayerEntryType.RegularFile)
        {
            await on.InspectWithoutContentAsync(located, cancellationToken).ConfigureAwait(false);
        }
        else if (captured is not null)
        {
            await on.InspectCapturedAsync(located, captured.Content, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await on.InspectStreamAsync(located, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DrainAsync()
    {
        while (inFlight.Count > 0)
        {
            await CommitOldestAsync().ConfigureAwait(false);
        }
    }

    private async Task CommitOldestAsync()
    {
        var (path, lane, job) = inFlight.Peek();
        await job.ConfigureAwait(false);
        inFlight.Dequeue();
        lane.Commit();
        idleLanes.Push(lane);
        TrackResults(path);
    }

    private void TrackResults(string path)
    {
        if (results!.HasFinal(path))
        {
            tracked.Add(path);
        }
    }

    /// <summary>Adds the entry to the view; returns the file when its content was captured.</summary>
    private async Task<ImageFile?> AddAsync(int layer, LayerEntry entry, CancellationToken cancellationToken)
    {
        switch (entry.Type)
        {
            case LayerEntryType.Symlink:
                symlinks[entry.Path] = new LinkRecord(entry.LinkTarget ?? "", layer);
                tracked.Add(entry.Path);
                break;
            case LayerEntryType.Hardlink when wanted(entry.Path):
                var target = entry.LinkTarget!;
                if (files.TryGetValue(target, out var captured))
                {
                    Store(captured with { Path = entry.Path, LayerIndex = layer });
                }
                else
                {
                    hardlinks[entry.Path] = new LinkRecord(target, layer);
                    tracked.Add(entry.Path);
                    pendingTargets.Add(target);
                }

                break;
            case LayerEntryType.RegularFile when wanted(entry.Path):
                if (entry.Size > limits.MaxAnalyzedFileBytes)
                {
                    warnings.Add($"{entry.Path} (layer {layer}) is {entry.Size} bytes, over MaxAnalyzedFileBytes; not analysed");
                    break;
                }

                var (content, sha256) = await CaptureAsync(entry, cancellationToken).ConfigureAwait(false);
                var file = new ImageFile { Path = entry.Path, LayerIndex = layer, Size = entry.Size, Mode = entry.Mode, Content = content, Sha256 = sha256 };
                Store(file);
                return file;
        }

        return null;
    }

    private void Store(ImageFile file)
    {
        files[file.Path] = file;
        tracked.Add(file.Path);
        if (keepHistory(file.Path))
        {
            if (!history.TryGetValue(file.Path, out var versions))
            {
                history[file.Path] = versions = [];
            }

            versions.Add(file);
        }
    }

    private async Task<(FileContent Content, string Sha256)> CaptureAsync(LayerEntry entry, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var source = entry.OpenContent!();
        if (entry.Size <= limits.MaxInMemoryFileBytes)
        {
            var bytes = new byte[entry.Size];
            try
            {
                await source.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                throw new HostileImageException(HostileImageReason.MalformedArchive, $"entry '{entry.Path}' is shorter than its header says");
            }

            hash.AppendData(bytes);
            return (new FileContent(bytes, workspace), Convert.ToHexStringLower(hash.GetHashAndReset()));
        }

        var path = workspace.NewFilePath();
        var buffer = new byte[81920];
        long remaining = entry.Size;
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            while (remaining > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new HostileImageException(HostileImageReason.MalformedArchive, $"entry '{entry.Path}' is shorter than its header says");
                }

                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                remaining -= read;
            }
        }

        return (new FileContent(path, entry.Size, workspace), Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Removes <paramref name="path"/> (when asked) and everything under it that came from a layer below <paramref name="belowLayer"/>.</summary>
    private void RemoveBelow(string path, bool includeSelf, int belowLayer)
    {
        if (includeSelf && LayerOf(path) is { } own && own < belowLayer)
        {
            Remove(path);
        }

        IEnumerable<string> under = path.Length == 0
            ? tracked
            : tracked.GetViewBetween(path + "/", path + "0"); // '0' sorts right after '/'
        foreach (var child in under.ToList())
        {
            if (LayerOf(child) is { } layer && layer < belowLayer)
            {
                Remove(child);
            }
        }
    }

    private int? LayerOf(string path) =>
        files.TryGetValue(path, out var f) ? f.LayerIndex
        : symlinks.TryGetValue(path, out var s) ? s.Layer
        : hardlinks.TryGetValue(path, out var h) ? h.Layer
        : results?.FinalLayerOf(path);

    private void Remove(string path)
    {
        if (tracked.Remove(path))
        {
            files.Remove(path);
            symlinks.Remove(path);
            hardlinks.Remove(path);
            results?.RemoveFinal(path);
        }
    }

    /// <summary>False when no layer has a file at <paramref name="path"/>; true when one may have.</summary>
    public bool MayHaveFile(string path) => seenFiles.Contains(path.GetHashCode(StringComparison.Ordinal));

    /// <summary>Adds files captured by a second pass (link targets) that this view lacks.</summary>
    public void Merge(LayerOverlay other)
    {
        foreach (var (path, file) in other.files)
        {
            files.TryAdd(path, file);
        }
    }

    public ImageFileSystem ToFileSystem() => new(files, symlinks, hardlinks, history, limits.MaxSymlinkHops);
}
