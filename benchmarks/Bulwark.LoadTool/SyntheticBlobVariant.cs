using Bulwark.Oci;

namespace Bulwark.LoadTool;

/// <summary>One concrete blob of a <see cref="SyntheticBlob"/> family, with its digest known up front.</summary>
public sealed class SyntheticBlobVariant(SyntheticBlob family, byte[] tail, Digest digest)
{
    public Digest Digest { get; } = digest;

    public long Size => family.Size;

    /// <summary>Content streaming bytes <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="length"/>.</summary>
    public HttpContent CreateContent(long offset, long length) => new SyntheticBlobContent(family, tail, offset, length);

    public HttpContent CreateContent() => CreateContent(0, Size);
}
