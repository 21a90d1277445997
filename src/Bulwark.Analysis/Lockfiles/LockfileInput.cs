using System.Text;

namespace Bulwark.Analysis.Lockfiles;

/// <summary>
/// One lock file handed to its parser: the path relative to the scanned root (reported as <c>FoundIn</c>), the
/// text, and read access to other captured files of the same tree (a manifest beside it, an included file).
/// </summary>
public sealed class LockfileInput
{
    private readonly ImageFileSystem? files;
    private readonly long maxFileBytes;
    private readonly Action<ImageFile>? markRead;

    internal LockfileInput(string path, string text, ImageFileSystem? files, long maxFileBytes, Action<ImageFile>? markRead)
    {
        Path = path;
        Text = text;
        this.files = files;
        this.maxFileBytes = maxFileBytes;
        this.markRead = markRead;
    }

    /// <summary>A lock file with no other file around it (parsers' unit tests, callers that hold the text).</summary>
    public LockfileInput(string path, string text)
        : this(path, text, null, long.MaxValue, null)
    {
    }

    /// <summary>Relative path of the lock file (<c>web/package-lock.json</c>).</summary>
    public string Path { get; }

    public string Text { get; }

    /// <summary>The directory of the lock file, relative to the root; empty at the root.</summary>
    public string Directory => Path.LastIndexOf('/') is var slash and >= 0 ? Path[..slash] : "";

    /// <summary>
    /// The text of another captured file, by a path relative to the root; null when it is absent, was not
    /// selected by the analyzer, or is over the size cap. Paths are taken as they are (no <c>..</c> handling):
    /// use <see cref="Combine"/> to build them.
    /// </summary>
    public async Task<string?> ReadFileAsync(string relativePath, CancellationToken cancellationToken)
    {
        if (files?.GetFile(relativePath) is not { } file || file.Size > maxFileBytes)
        {
            return null;
        }

        markRead?.Invoke(file);
        return Encoding.UTF8.GetString(await file.Content.ReadAllBytesAsync(cancellationToken).ConfigureAwait(false)).TrimStart('\uFEFF');
    }

    /// <summary>
    /// <paramref name="relative"/> (a path written in the lock file's directory) as a path from the root, or null
    /// when it is absolute or climbs above the root: included files are read inside the scanned tree only.
    /// </summary>
    public string? Combine(string relative)
    {
        if (relative.StartsWith('/') || relative.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        var parts = new List<string>(Directory.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var segment in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(segment);
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }
}
