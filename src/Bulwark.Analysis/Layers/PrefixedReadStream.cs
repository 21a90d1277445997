namespace Bulwark.Analysis.Layers;

/// <summary>Replays bytes already read from a stream (to sniff its format) before the rest of it.</summary>
internal sealed class PrefixedReadStream(ReadOnlyMemory<byte> prefix, Stream rest) : ForwardOnlyReadStream
{
    private int position;

    public override int Read(Span<byte> buffer)
    {
        if (position < prefix.Length)
        {
            var n = Math.Min(buffer.Length, prefix.Length - position);
            prefix.Span.Slice(position, n).CopyTo(buffer);
            position += n;
            return n;
        }

        return rest.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position < prefix.Length)
        {
            return Read(buffer.Span);
        }

        return await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rest.Dispose();
        }

        base.Dispose(disposing);
    }
}
