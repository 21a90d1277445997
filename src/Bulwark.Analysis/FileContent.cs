namespace Bulwark.Analysis;

/// <summary>The bytes of a captured file: in memory when small, otherwise a file in the workspace.</summary>
public sealed class FileContent
{
    private readonly byte[]? bytes;
    private readonly string? spillPath;
    private readonly AnalysisWorkspace workspace;
    private string? materialized;

    internal FileContent(byte[] bytes, AnalysisWorkspace workspace)
    {
        this.bytes = bytes;
        this.workspace = workspace;
        Length = bytes.Length;
    }

    internal FileContent(string spillPath, long length, AnalysisWorkspace workspace)
    {
        this.spillPath = spillPath;
        this.workspace = workspace;
        Length = length;
    }

    public long Length { get; }

    public Stream OpenRead() => bytes is not null
        ? new MemoryStream(bytes, writable: false)
        : new FileStream(spillPath!, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);

    /// <summary>The whole content; only for files an analyzer knows to be small (the caps bound it anyway).</summary>
    public async Task<byte[]> ReadAllBytesAsync(CancellationToken cancellationToken) =>
        bytes ?? await File.ReadAllBytesAsync(spillPath!, cancellationToken).ConfigureAwait(false);

    /// <summary>A path to a private copy in the workspace, for readers that need a file (SQLite).</summary>
    public async Task<string> GetLocalCopyAsync(string extension, CancellationToken cancellationToken)
    {
        if (materialized is not null)
        {
            return materialized;
        }

        var path = workspace.NewFilePath(extension);
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        await using (var source = OpenRead())
        {
            await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        }

        materialized = path;
        return path;
    }
}
