using Microsoft.Win32.SafeHandles;

namespace Bulwark.Analysis.Sources;

/// <summary>
/// A regular file of a root filesystem directory, read forward with <see cref="RandomAccess"/>: no buffer of its own
/// (every reader asks for large blocks) and no hop through the thread pool — a read of a local file is done where
/// it is asked, which for the thousands of small files of a root filesystem costs far less than an asynchronous
/// <see cref="FileStream"/> (an 80 KiB buffer and a thread-pool work item per file).
/// </summary>
internal sealed class LocalFileReadStream(string path) : ForwardOnlyReadStream
{
    private readonly SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    private long position;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var read = RandomAccess.Read(handle, buffer, position);
        position += read;
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            handle.Dispose();
        }

        base.Dispose(disposing);
    }
}
