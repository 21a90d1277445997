namespace Bulwark.Analysis.Sources;

/// <summary>A read-only window of <paramref name="size"/> bytes from the current position of a stream (owned unless <paramref name="leaveOpen"/>).</summary>
internal sealed class BoundedReadStream(Stream inner, long size, bool leaveOpen = false) : ForwardOnlyReadStream
{
    private long consumed;

    public override long Length => size;

    public override long Position
    {
        get => consumed;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (consumed >= size)
        {
            return 0;
        }

        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, size - consumed)]);
        consumed += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (consumed >= size)
        {
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, size - consumed)], cancellationToken).ConfigureAwait(false);
        consumed += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
