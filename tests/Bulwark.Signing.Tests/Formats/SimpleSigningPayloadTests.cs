using System.Text;
using Bulwark.Oci;
using Bulwark.Signing.Formats;

namespace Bulwark.Signing.Tests.Formats;

public sealed class SimpleSigningPayloadTests
{
    private static readonly Digest Image = Digest.Compute("image"u8);

    [Fact]
    public void ToUtf8Bytes_IsTheCosignPayload()
    {
        var payload = new SimpleSigningPayload("registry.example/app:v1", Image).ToUtf8Bytes();

        Assert.Equal(
            $$"""{"critical":{"identity":{"docker-reference":"registry.example/app:v1"},"image":{"docker-manifest-digest":"{{Image}}"},"type":"cosign container image signature"},"optional":null}""",
            Encoding.UTF8.GetString(payload));
    }

    [Fact]
    public void Parse_ReadsWhatContainersImageWrites()
    {
        // containers/image adds creator and timestamp under "optional".
        var json = $$$"""{"critical":{"identity":{"docker-reference":"r/app:v1"},"image":{"docker-manifest-digest":"{{{Image}}}"},"type":"cosign container image signature"},"optional":{"creator":"containers/image 5.23.1","timestamp":1700000000}}""";

        var parsed = SimpleSigningPayload.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(new SimpleSigningPayload("r/app:v1", Image), parsed);
    }

    [Theory]
    [InlineData("""{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:00"},"type":"cosign container image signature"}}""")]
    [InlineData("""{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},"type":"atomic container signature"}}""")]
    [InlineData("""{"critical":{"identity":""")]
    [InlineData("[]")]
    public void Parse_MalformedOrForeignPayload_IsAFormatError(string json)
    {
        Assert.Throws<SignatureFormatException>(() => SimpleSigningPayload.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Parse_OverTheLimit_IsAFormatError()
    {
        Assert.Throws<SignatureFormatException>(() => SimpleSigningPayload.Parse(new byte[SimpleSigningPayload.MaxBytes + 1]));
    }
}
