using System.Buffers;

namespace Bulwark.Registry.Http;

/// <summary>Copies a bounded number of bytes with a pooled buffer, so a response never buffers a whole blob.</summary>
internal static class StreamCopy
{
    private const int BufferSize = 256 * 1024;

    public static async Task CopyAsync(Stream source, Stream target, long length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var remaining = length;
            while (remaining > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, remaining)), cancellationToken);
                if (read == 0)
                {
                    throw new IOException("blob ended before its recorded size");
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
