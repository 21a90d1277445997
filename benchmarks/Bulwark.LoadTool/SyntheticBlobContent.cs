using System.Net;
using System.Net.Http.Headers;

namespace Bulwark.LoadTool;

/// <summary>
/// Request content that streams a byte range of a synthetic blob. It can be sent again (after an auth
/// retry) because it regenerates its bytes instead of reading a one-shot stream.
/// </summary>
public sealed class SyntheticBlobContent : HttpContent
{
    private readonly SyntheticBlob family;
    private readonly byte[] tail;
    private readonly long offset;
    private readonly long length;

    public SyntheticBlobContent(SyntheticBlob family, byte[] tail, long offset, long length)
    {
        this.family = family;
        this.tail = tail;
        this.offset = offset;
        this.length = length;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        family.WriteAsync(stream, tail, offset, length, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = this.length;
        return true;
    }
}
