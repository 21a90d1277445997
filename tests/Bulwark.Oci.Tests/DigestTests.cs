using System.Text;

namespace Bulwark.Oci.Tests;

public sealed class DigestTests
{
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void Compute_EmptyContent_MatchesKnownSha256()
    {
        Assert.Equal(EmptySha256, Digest.Compute([]).ToString());
    }

    [Fact]
    public void Compute_Sha512_Has128HexCharacters()
    {
        var digest = Digest.Compute(Encoding.UTF8.GetBytes("abc"), Digest.Sha512);
        Assert.Equal("sha512", digest.Algorithm);
        Assert.Equal(128, digest.Encoded.Length);
        Assert.StartsWith("ddaf35a193617aba", digest.Encoded, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValidDigest_RoundTrips()
    {
        var digest = Digest.Parse(EmptySha256);
        Assert.Equal("sha256", digest.Algorithm);
        Assert.Equal(EmptySha256, digest.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256")]
    [InlineData("sha256:")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555")]
    [InlineData("sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha512:abc")]
    [InlineData("../../etc/passwd")]
    public void TryParse_Malformed_IsRejected(string value)
    {
        Assert.False(Digest.TryParse(value, out _));
        Assert.Throws<FormatException>(() => Digest.Parse(value));
    }

    [Fact]
    public async Task ComputeAsync_Stream_EqualsSpanHash()
    {
        var bytes = Encoding.UTF8.GetBytes("hello registry");
        using var stream = new MemoryStream(bytes);
        Assert.Equal(Digest.Compute(bytes), await Digest.ComputeAsync(stream, Digest.Sha256, CancellationToken.None));
    }
}
