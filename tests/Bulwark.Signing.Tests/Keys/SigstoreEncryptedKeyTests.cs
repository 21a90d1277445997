using System.Security.Cryptography;
using System.Text.Json;
using Bulwark.Signing.Keys;
using Bulwark.Signing.Tests.Fixtures;

namespace Bulwark.Signing.Tests.Keys;

public sealed class SigstoreEncryptedKeyTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("bulwark-signing-keys-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Encrypt_WritesTheJsonCosignWrites()
    {
        using var key = SigningKey.Generate();

        var pem = key.ExportEncryptedPem("secret");

        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        Assert.True(PemEncoding.TryFind(pem, out var fields));
        using var json = JsonDocument.Parse(Convert.FromBase64String(pem[fields.Base64Data]));
        var kdf = json.RootElement.GetProperty("kdf");
        Assert.Equal("scrypt", kdf.GetProperty("name").GetString());
        Assert.Equal(32768, kdf.GetProperty("params").GetProperty("N").GetInt32());
        Assert.Equal(8, kdf.GetProperty("params").GetProperty("r").GetInt32());
        Assert.Equal(1, kdf.GetProperty("params").GetProperty("p").GetInt32());
        Assert.Equal(32, kdf.GetProperty("salt").GetBytesFromBase64().Length);
        Assert.Equal("nacl/secretbox", json.RootElement.GetProperty("cipher").GetProperty("name").GetString());
        Assert.Equal(24, json.RootElement.GetProperty("cipher").GetProperty("nonce").GetBytesFromBase64().Length);
        // secretbox: 16-byte Poly1305 tag + ciphertext as long as the PKCS#8 DER.
        Assert.Equal(key.ExportPkcs8().Length + 16, json.RootElement.GetProperty("ciphertext").GetBytesFromBase64().Length);
    }

    [Fact]
    public void Encrypt_ThenRead_GivesTheSameKey()
    {
        using var key = SigningKey.Generate();

        using var read = SigningKey.FromPem(key.ExportEncryptedPem("pässwörd"), "pässwörd");

        Assert.Equal(key.PublicKey.Fingerprint, read.PublicKey.Fingerprint);
        Assert.True(key.PublicKey.Verify("data"u8, read.Sign("data"u8)));
    }

    [Fact]
    public void Read_WrongPassphrase_IsAWrongPassphraseError()
    {
        using var key = SigningKey.Generate();

        var error = Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(key.ExportEncryptedPem("right"), "wrong"));

        Assert.Equal(KeyError.WrongPassphrase, error.Error);
        Assert.Contains("wrong passphrase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoPassphrase_IsAPassphraseRequiredError()
    {
        using var key = SigningKey.Generate();

        var error = Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(key.ExportEncryptedPem("right"), null));

        Assert.Equal(KeyError.PassphraseRequired, error.Error);
    }

    [Fact]
    public void Read_AlteredCiphertext_FailsAuthentication()
    {
        using var key = SigningKey.Generate();
        var body = Body(key.ExportEncryptedPem("pw"));
        var box = body["ciphertext"]!.GetValue<string>();
        var bytes = Convert.FromBase64String(box);
        bytes[^1] ^= 1;
        body["ciphertext"] = Convert.ToBase64String(bytes);

        var error = Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(Pem(body), "pw"));

        Assert.Equal(KeyError.WrongPassphrase, error.Error);
    }

    [Theory]
    [InlineData(1073741824, 8, 1)]
    [InlineData(32768, 1024, 1)]
    [InlineData(32768, 8, 64)]
    [InlineData(16, 8, 1)]
    public void Read_ScryptParametersOutsideTheAcceptedSets_AreRefusedBeforeDerivation(int n, int r, int p)
    {
        using var key = SigningKey.Generate();
        var body = Body(key.ExportEncryptedPem("pw"));
        body["kdf"]!["params"] = new System.Text.Json.Nodes.JsonObject { ["N"] = n, ["r"] = r, ["p"] = p };

        var error = Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(Pem(body), "pw"));

        Assert.Equal(KeyError.Unsupported, error.Error);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"kdf\":{\"name\":\"scrypt\"}}")]
    [InlineData("{\"kdf\":{\"name\":\"argon2\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"AA==\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AA==\"},\"ciphertext\":\"AA==\"}")]
    [InlineData("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"AA==\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AA==\"},\"ciphertext\":\"AA==\"}")]
    public void Read_MalformedBody_IsAKeyFormatError(string json)
    {
        var pem = PemEncoding.WriteString(SigstoreEncryptedKey.PemLabel, System.Text.Encoding.UTF8.GetBytes(json));

        var error = Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(pem, "pw"));

        Assert.NotEqual(KeyError.WrongPassphrase, error.Error);
    }

    [Fact]
    public async Task KeyWrittenByGo_OpensWithBulwark()
    {
        var prefix = Path.Combine(work, "go");
        var (exit, _, stderr) = await GoKeyTool.RunAsync("go-passphrase", "generate", prefix);
        Assert.True(exit == 0, stderr);

        using var key = SigningKey.FromPem(await File.ReadAllTextAsync(prefix + ".key"), "go-passphrase");

        Assert.Equal(VerificationKey.FromPem(await File.ReadAllTextAsync(prefix + ".pub")).Fingerprint, key.PublicKey.Fingerprint);
        Assert.Equal(KeyError.WrongPassphrase,
            Assert.Throws<KeyFormatException>(() => SigningKey.FromPem(File.ReadAllText(prefix + ".key"), "other")).Error);
    }

    [Fact]
    public async Task KeyWrittenByBulwark_OpensWithGo()
    {
        using var key = SigningKey.Generate();
        var file = Path.Combine(work, "bulwark.key");
        await File.WriteAllTextAsync(file, key.ExportEncryptedPem("bulwark-passphrase"));

        var (exit, stdout, stderr) = await GoKeyTool.RunAsync("bulwark-passphrase", "open", file);
        var (wrongExit, _, wrongError) = await GoKeyTool.RunAsync("wrong", "open", file);

        Assert.True(exit == 0, stderr);
        Assert.Equal(key.PublicKey.Fingerprint, VerificationKey.FromPem(stdout).Fingerprint);
        Assert.Equal(1, wrongExit);
        Assert.Contains("decryption failed", wrongError, StringComparison.Ordinal);
    }

    private static System.Text.Json.Nodes.JsonObject Body(string pem)
    {
        Assert.True(PemEncoding.TryFind(pem, out var fields));
        return System.Text.Json.Nodes.JsonNode.Parse(Convert.FromBase64String(pem[fields.Base64Data]))!.AsObject();
    }

    private static string Pem(System.Text.Json.Nodes.JsonObject body) =>
        PemEncoding.WriteString(SigstoreEncryptedKey.PemLabel, System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));
}
