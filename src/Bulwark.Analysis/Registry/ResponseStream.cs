namespace Bulwark.Analysis.Registry;

/// <summary>A response body that disposes its response with it.</summary>
internal sealed class ResponseStream(HttpResponseMessage response, Stream body) : ForwardOnlyReadStream
{
    public override int Read(Span<byte> buffer) => body.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        body.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            body.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
