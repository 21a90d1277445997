using System.Globalization;
using System.Security.Cryptography;

namespace Bulwark.Interop.Tests.Conformance;

/// <summary>Content pushed by a conformance check, with its sha256 digest.</summary>
public sealed record TestBlob(byte[] Content)
{
    public string Digest { get; } = DigestOf(Content);

    public int Length => Content.Length;

    public string LengthText => Length.ToString(CultureInfo.InvariantCulture);

    public static string DigestOf(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
