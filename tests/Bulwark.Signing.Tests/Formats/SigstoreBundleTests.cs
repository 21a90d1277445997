using System.Text;
using System.Text.Json.Nodes;
using Bulwark.Oci;
using Bulwark.Signing.Formats;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Tests.Formats;

public sealed class SigstoreBundleTests
{
    private static readonly Digest Image = Digest.Compute("image manifest"u8);

    [Fact]
    public void PreAuthenticationEncoding_IsTheDsseV1Encoding()
    {
        // The example of the DSSE protocol document.
        var pae = DsseEnvelope.PreAuthenticationEncoding("http://example.com/HelloWorld", "hello world"u8);

        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void CreateDsse_ParsesAndVerifiesForTheImageDigest()
    {
        using var key = SigningKey.Generate();

        var bundle = SigstoreBundle.Parse(SigstoreBundle.CreateDsse(key, InTotoStatement.ForImage("r.example/app", Image)));
        var outcome = SigstoreBundleVerifier.Verify(bundle, key.PublicKey, Image);

        Assert.True(outcome.Verified, outcome.Detail);
        Assert.Equal(SigstoreBundle.MediaTypeV03, bundle.MediaType);
        Assert.Equal(key.PublicKey.Hint, bundle.PublicKeyHint);
        Assert.Equal(DsseEnvelope.InTotoPayloadType, bundle.Envelope!.PayloadType);
        Assert.Equal([Image], outcome.Subjects);
        var statement = JsonNode.Parse(bundle.Envelope.Payload)!;
        Assert.Equal(InTotoStatement.StatementType, statement["_type"]!.GetValue<string>());
        Assert.Equal(Image.Encoded, statement["subject"]![0]!["digest"]!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public void Verify_SignatureForAnotherDigest_Fails()
    {
        using var key = SigningKey.Generate();
        var bundle = SigstoreBundle.Parse(SigstoreBundle.CreateDsse(key, InTotoStatement.ForImage("r/app", Image)));
        var other = Digest.Compute("another image"u8);

        var outcome = SigstoreBundleVerifier.Verify(bundle, key.PublicKey, other);

        Assert.False(outcome.Verified);
        Assert.Contains($"not {other}", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WrongKey_Fails()
    {
        using var key = SigningKey.Generate();
        using var other = SigningKey.Generate();
        var bundle = SigstoreBundle.Parse(SigstoreBundle.CreateDsse(key, InTotoStatement.ForImage("r/app", Image)));

        var outcome = SigstoreBundleVerifier.Verify(bundle, other.PublicKey, Image);

        Assert.False(outcome.Verified);
        Assert.Contains("does not verify", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_PayloadSwappedForAnotherDigest_Fails()
    {
        using var key = SigningKey.Generate();
        var json = JsonNode.Parse(SigstoreBundle.CreateDsse(key, InTotoStatement.ForImage("r/app", Image)))!;
        var other = Digest.Compute("another image"u8);
        json["dsseEnvelope"]!["payload"] = Convert.ToBase64String(InTotoStatement.ForImage("r/app", other));

        var outcome = SigstoreBundleVerifier.Verify(SigstoreBundle.Parse(Encoding.UTF8.GetBytes(json.ToJsonString())), key.PublicKey, other);

        Assert.False(outcome.Verified);
    }

    [Fact]
    public void Parse_TruncatedBundle_IsAFormatError()
    {
        using var key = SigningKey.Generate();
        var bytes = SigstoreBundle.CreateDsse(key, InTotoStatement.ForImage("r/app", Image));

        var error = Assert.Throws<SignatureFormatException>(() => SigstoreBundle.Parse(bytes.AsSpan(0, bytes.Length / 2)));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{}}""")]
    [InlineData("""{"mediaType":"application/x-unknown","verificationMaterial":{},"dsseEnvelope":{}}""")]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{},"dsseEnvelope":{"payload":"%%%","payloadType":"x","signatures":[]}}""")]
    [InlineData("""{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{},"messageSignature":{"messageDigest":{"algorithm":"SHA2_512","digest":"AA=="},"signature":"AA=="}}""")]
    [InlineData("[1,2,3]")]
    public void Parse_MalformedBundle_IsAFormatError(string json)
    {
        Assert.Throws<SignatureFormatException>(() => SigstoreBundle.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Parse_OverTheLimit_IsAFormatError()
    {
        Assert.Throws<SignatureFormatException>(() => SigstoreBundle.Parse(new byte[SigstoreBundle.MaxBytes + 1]));
    }
}
