using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis;

/// <summary>
/// The final view of an image as analyzers see it: the captured files, with symbolic links resolved inside the
/// image root (an absolute target starts at the image root and <c>..</c> stops there, as in a chroot).
/// </summary>
public sealed class ImageFileSystem
{
    private static readonly IReadOnlyList<ImageFile> NoHistory = [];
    private readonly Dictionary<string, ImageFile> files;
    private readonly Dictionary<string, LinkRecord> symlinks;
    private readonly Dictionary<string, LinkRecord> hardlinks;
    private readonly Dictionary<string, List<ImageFile>> history;
    private readonly int maxHops;

    internal ImageFileSystem(Dictionary<string, ImageFile> files, Dictionary<string, LinkRecord> symlinks,
        Dictionary<string, LinkRecord> hardlinks, Dictionary<string, List<ImageFile>> history, int maxHops)
    {
        this.files = files;
        this.symlinks = symlinks;
        this.hardlinks = hardlinks;
        this.history = history;
        this.maxHops = maxHops;
    }

    /// <summary>Every captured file of the final view, by its own path.</summary>
    public IEnumerable<ImageFile> Files => files.Values;

    /// <summary>The final files whose path matches <paramref name="selector"/>, in path order.</summary>
    public IReadOnlyList<ImageFile> Select(FileSelector selector)
    {
        var result = files.Values.Where(f => selector.Matches(f.Path)).ToList();
        foreach (var path in selector.Paths)
        {
            if (!files.ContainsKey(path) && GetFile(path) is { } linked)
            {
                result.Add(linked);
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return result;
    }

    /// <summary>The file at <paramref name="path"/> after following links, reported under the asked path; null when absent or not captured.</summary>
    public ImageFile? GetFile(string path)
    {
        var normalized = path.Trim('/');
        if (files.TryGetValue(normalized, out var direct))
        {
            return direct;
        }

        if (hardlinks.TryGetValue(normalized, out var hard) && files.TryGetValue(hard.Target, out var hardTarget))
        {
            return hardTarget with { Path = normalized, LayerIndex = hard.Layer };
        }

        var resolved = Resolve(normalized);
        return resolved is not null && resolved != normalized && files.TryGetValue(resolved, out var target)
            ? target with { Path = normalized }
            : null;
    }

    /// <summary>Every layer's version of a file whose selector asked for history, oldest first.</summary>
    public IReadOnlyList<ImageFile> GetHistory(string path) =>
        history.TryGetValue(path, out var versions) ? versions : NoHistory;

    /// <summary>The path after following symbolic links in every component, or null for a loop.</summary>
    public string? Resolve(string path)
    {
        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var hops = 0;
        while (pending.Count > 0)
        {
            var segment = pending.Pop();
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            resolved.Add(segment);
            if (!symlinks.TryGetValue(string.Join('/', resolved), out var link))
            {
                continue;
            }

            if (++hops > maxHops)
            {
                return null;
            }

            resolved.RemoveAt(resolved.Count - 1);
            if (link.Target.StartsWith('/'))
            {
                resolved.Clear();
            }

            foreach (var part in link.Target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(part);
            }
        }

        return string.Join('/', resolved);
    }

    /// <summary>Paths that analyzers asked for exactly and that resolve, through links, to a file that was not captured.</summary>
    internal IEnumerable<string> UnresolvedTargets(IEnumerable<string> exactPaths)
    {
        foreach (var path in exactPaths)
        {
            if (files.ContainsKey(path))
            {
                continue;
            }

            var target = hardlinks.TryGetValue(path, out var hard) ? hard.Target : Resolve(path);
            if (target is not null && target != path && !files.ContainsKey(target))
            {
                yield return target;
            }
        }
    }
}
