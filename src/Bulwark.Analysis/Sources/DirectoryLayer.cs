using System.Runtime.CompilerServices;
using Bulwark.Analysis.Inventory;
using Bulwark.Analysis.Layers;

namespace Bulwark.Analysis.Sources;

/// <summary>
/// A root filesystem directory read as a single layer. Symbolic links are reported as links and never followed,
/// so nothing outside the directory is read; unreadable entries are skipped. <paramref name="skipDirectory"/>,
/// given a directory's path relative to the root, prunes it and everything under it from the walk (source
/// directory mode skips <c>node_modules</c>, <c>.git</c>…).
/// </summary>
public sealed class DirectoryLayer(string root, Func<string, bool>? skipDirectory = null) : ISourceLayer
{
    private readonly string root = Path.GetFullPath(root);

    public LayerInfo Info { get; } = new() { Index = 0 };

    public async IAsyncEnumerable<LayerEntry> ReadEntriesAsync(DecompressionBudget budget,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var limits = budget.Limits;
        var pending = new Stack<(DirectoryInfo Directory, string Relative)>();
        pending.Push((new DirectoryInfo(root), ""));
        var entries = 0;
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (directory, relative) = pending.Pop();
            IEnumerable<FileSystemInfo> children;
            try
            {
                children = [.. directory.EnumerateFileSystemInfos("*", new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 })
                    .OrderBy(c => c.Name, StringComparer.Ordinal)];
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var child in children)
            {
                if (++entries > limits.MaxEntriesPerLayer)
                {
                    throw new HostileImageException(HostileImageReason.TooManyEntries,
                        $"directory has more than {limits.MaxEntriesPerLayer} entries (limit MaxEntriesPerLayer)");
                }

                budget.AddEntry();
                var path = LayerPath.Combine(relative, child.Name);
                if (child.LinkTarget is { } target)
                {
                    yield return new LayerEntry { Path = path, Type = LayerEntryType.Symlink, LinkTarget = target };
                }
                else if (child is DirectoryInfo subdirectory)
                {
                    if (skipDirectory?.Invoke(path) == true)
                    {
                        continue;
                    }

                    yield return new LayerEntry { Path = path, Type = LayerEntryType.Directory, Mode = child.UnixFileMode };
                    pending.Push((subdirectory, path));
                }
                else if (child is FileInfo file)
                {
                    // .NET does not tell device nodes, fifos and sockets from regular files; they all have length 0,
                    // so an empty entry is never opened (opening dev/tty fails, opening a fifo blocks).
                    yield return new LayerEntry
                    {
                        Path = path,
                        Type = LayerEntryType.RegularFile,
                        Size = file.Length,
                        Mode = file.UnixFileMode,
                        OpenContent = file.Length == 0
                            ? () => new MemoryStream([], writable: false)
                            : () => new LocalFileReadStream(file.FullName),
                    };
                }
            }

            await Task.Yield();
        }
    }
}
