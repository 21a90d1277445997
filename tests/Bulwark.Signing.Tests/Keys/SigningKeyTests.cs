using System.Diagnostics;
using System.Security.Cryptography;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Tests.Keys;

public sealed class SigningKeyTests
{
    [Fact]
    public async Task FromPem_OpenSslPlainPkcs8_IsRead()
    {
        var pem = await OpenSslAsync("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256");

        using var key = SigningKey.FromPem(pem, null);

        Assert.True(key.PublicKey.Verify("x"u8, key.Sign("x"u8)));
    }

    [Fact]
    public async Task FromPem_OpenSslEncryptedPkcs8_IsReadWithThePassphraseOnly()
    {
        var pem = await OpenSslAsync("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -pass pass:open-sesame");
        Assert.Contains("BEGIN ENCRYPTED PRIVATE KEY", pem, StringComparison.Ordinal);

        using var key = SigningKey.FromPem(pem, "open-sesame");

        Assert.Equal(KeyError.WrongPassphrase, Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(pem, "wrong")).Error);
        Assert.Equal(KeyError.PassphraseRequired, Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(pem, null)).Error);
    }

    [Fact]
    public void FromPem_Sec1EcPrivateKey_IsRead()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var key = SigningKey.FromPem(ecdsa.ExportECPrivateKeyPem(), null);

        Assert.Equal(VerificationKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo()).Fingerprint, key.PublicKey.Fingerprint);
    }

    [Fact]
    public void FromPem_RsaKey_IsUnsupported()
    {
        using var rsa = RSA.Create(2048);

        var error = Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(rsa.ExportPkcs8PrivateKeyPem(), null));

        Assert.Equal(KeyError.Unsupported, error.Error);
    }

    [Fact]
    public void FromPem_P384Key_IsUnsupported()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem(), null));

        Assert.Equal(KeyError.Unsupported, error.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    public void FromPem_BadPem_IsAKeyFormatError(string pem)
    {
        Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(pem, "pw"));
    }

    [Fact]
    public void Sign_WritesDerThatVerifies_AndRawRsIsAcceptedToo()
    {
        using var key = SigningKey.Generate();
        var signature = key.Sign("payload"u8);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.PublicKey.SubjectPublicKeyInfo, out _);
        var raw = ecdsa.VerifyData("payload"u8, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            ? SignatureToRaw(signature) : throw new InvalidOperationException("not DER");

        Assert.Equal(0x30, signature[0]);
        Assert.True(key.PublicKey.Verify("payload"u8, signature));
        Assert.True(key.PublicKey.Verify("payload"u8, raw));
        Assert.False(key.PublicKey.Verify("payload!"u8, signature));
        Assert.False(key.PublicKey.Verify("payload"u8, []));
    }

    [Fact]
    public void VerificationKey_FingerprintAndHint_AreTheSha256OfTheSubjectPublicKeyInfo()
    {
        // The Sigstore conformance bundles carry this hint for their key.pub.
        var key = VerificationKey.FromPem(File.ReadAllText(Path.Combine(Fixtures.TestPaths.SharedData, "sigstore-conformance", "managed-key-happy-path", "key.pub")));

        Assert.Equal("TLMsSDfG3ajPsWge+z/vX5T/zluXnmvbkTkwLIV68Tk=", key.Hint);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(Convert.FromBase64String(key.Hint)), key.Fingerprint);
    }

    [Fact]
    public void VerificationKey_PrivateKeyPem_IsRefused()
    {
        using var key = SigningKey.Generate();
        var pem = PemEncoding.WriteString("PRIVATE KEY", key.ExportPkcs8());

        Assert.Equal(KeyError.Unsupported, Assert.Throws<KeyFormatException>(() => VerificationKey.FromPem(pem)).Error);
    }

    private static byte[] SignatureToRaw(byte[] der)
    {
        var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        static byte[] Fixed(System.Numerics.BigInteger value)
        {
            var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
            return [.. new byte[32 - bytes.Length], .. bytes];
        }

        return [.. Fixed(reader.ReadInteger()), .. Fixed(reader.ReadInteger())];
    }

    private static async Task<string> OpenSslAsync(string arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments.Split(' '))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
