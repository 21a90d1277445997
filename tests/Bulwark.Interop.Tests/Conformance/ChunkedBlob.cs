using System.Globalization;
using System.Security.Cryptography;

namespace Bulwark.Interop.Tests.Conformance;

/// <summary>
/// A random blob pushed in two chunks: the first chunk is one byte longer than half, as in the suite,
/// so the two <c>Content-Range</c> values differ in length.
/// </summary>
public sealed class ChunkedBlob
{
    public ChunkedBlob(int size)
    {
        Blob = new TestBlob(RandomNumberGenerator.GetBytes(size));
        var split = (size / 2) + 1;
        FirstChunk = Blob.Content[..split];
        SecondChunk = Blob.Content[split..];
        FirstRange = Range(0, split - 1);
        SecondRange = Range(split, size - 1);
    }

    public TestBlob Blob { get; }

    public byte[] FirstChunk { get; }

    public byte[] SecondChunk { get; }

    /// <summary>The spec's <c>Content-Range</c>/<c>Range</c> form: inclusive <c>start-end</c>.</summary>
    public string FirstRange { get; }

    public string SecondRange { get; }

    public string WholeRange => Range(0, Blob.Length - 1);

    /// <summary>
    /// The blob to use after a POST that advertised <c>OCI-Chunk-Min-Length</c>: the first chunk must be
    /// at least that long, so a bigger blob is made when this one is too small (as the suite does).
    /// </summary>
    public ChunkedBlob FitMinimumChunk(RegistryResponse uploadSession)
    {
        var advertised = uploadSession.Header("OCI-Chunk-Min-Length");
        if (advertised is null)
        {
            return this;
        }

        var minimum = int.Parse(advertised, NumberStyles.None, CultureInfo.InvariantCulture);
        return minimum > FirstChunk.Length ? new ChunkedBlob((minimum * 2) - 2) : this;
    }

    private static string Range(int start, int end) =>
        string.Create(CultureInfo.InvariantCulture, $"{start}-{end}");
}
