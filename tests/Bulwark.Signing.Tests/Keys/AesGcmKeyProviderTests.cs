using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Tests.Keys;

public sealed class AesGcmKeyProviderTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("bulwark-keyprovider-").FullName;
    private readonly MasterKey master = MasterKey.Generate();

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task Store_ThenGet_GivesAKeyThatSignsForTheSamePublicKey()
    {
        var provider = new AesGcmKeyProvider(work, master);
        using var key = SigningKey.Generate();

        await provider.StoreAsync("release", key, CancellationToken.None);
        using var read = await provider.GetAsync("release", CancellationToken.None);

        Assert.NotNull(read);
        Assert.True(key.PublicKey.Verify("m"u8, read.Sign("m"u8)));
        Assert.Equal(["release"], await provider.ListAsync(CancellationToken.None));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(work, "release.key.json")));
        }
    }

    [Fact]
    public async Task StoredFile_DoesNotContainThePrivateKey()
    {
        var provider = new AesGcmKeyProvider(work, master);
        using var key = SigningKey.Generate();
        var pkcs8 = key.ExportPkcs8();

        await provider.StoreAsync("k", key, CancellationToken.None);

        var stored = await File.ReadAllBytesAsync(Path.Combine(work, "k.key.json"));
        var text = System.Text.Encoding.UTF8.GetString(stored);
        Assert.DoesNotContain(Convert.ToBase64String(pkcs8), text, StringComparison.Ordinal);
        Assert.Equal(-1, stored.AsSpan().IndexOf(pkcs8.AsSpan(pkcs8.Length - 32)));
    }

    [Fact]
    public async Task Get_UnderAnotherMasterKey_SaysSo()
    {
        using var key = SigningKey.Generate();
        await new AesGcmKeyProvider(work, master).StoreAsync("k", key, CancellationToken.None);

        var error = await Assert.ThrowsAsync<KeyFormatException>(() => new AesGcmKeyProvider(work, MasterKey.Generate()).GetAsync("k", CancellationToken.None));

        Assert.Contains("another master key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_FileRenamedToAnotherKeyName_DoesNotOpen()
    {
        var provider = new AesGcmKeyProvider(work, master);
        using var key = SigningKey.Generate();
        await provider.StoreAsync("a", key, CancellationToken.None);
        File.Move(Path.Combine(work, "a.key.json"), Path.Combine(work, "b.key.json"));

        var error = await Assert.ThrowsAsync<KeyFormatException>(() => provider.GetAsync("b", CancellationToken.None));

        Assert.Contains("does not authenticate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_TamperedOrGarbageFile_IsAKeyFormatError()
    {
        var provider = new AesGcmKeyProvider(work, master);
        using var key = SigningKey.Generate();
        await provider.StoreAsync("a", key, CancellationToken.None);
        var path = Path.Combine(work, "a.key.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        var ciphertext = Convert.FromBase64String(json["ciphertext"]!.GetValue<string>());
        ciphertext[0] ^= 0x80;
        json["ciphertext"] = Convert.ToBase64String(ciphertext);
        await File.WriteAllTextAsync(path, json.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(work, "g.key.json"), "{not json");

        await Assert.ThrowsAsync<KeyFormatException>(() => provider.GetAsync("a", CancellationToken.None));
        await Assert.ThrowsAsync<KeyFormatException>(() => provider.GetAsync("g", CancellationToken.None));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData(".hidden")]
    public async Task InvalidNames_AreRefused(string name)
    {
        var provider = new AesGcmKeyProvider(work, master);
        using var key = SigningKey.Generate();

        await Assert.ThrowsAsync<ArgumentException>(() => provider.StoreAsync(name, key, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => provider.GetAsync(name, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(work, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Missing_IsNull_AndDeleteRemoves()
    {
        var provider = new AesGcmKeyProvider(work, master);
        using var key = SigningKey.Generate();
        await provider.StoreAsync("a", key, CancellationToken.None);

        Assert.Null(await provider.GetAsync("none", CancellationToken.None));
        Assert.True(await provider.DeleteAsync("a", CancellationToken.None));
        Assert.False(await provider.DeleteAsync("a", CancellationToken.None));
        Assert.Null(await provider.GetAsync("a", CancellationToken.None));
    }

    [Fact]
    public async Task MasterKey_FromFile_RawOrBase64_AndBadLengthsRefused()
    {
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var raw = Path.Combine(work, "raw");
        var text = Path.Combine(work, "text");
        var shortKey = Path.Combine(work, "short");
        await File.WriteAllBytesAsync(raw, bytes);
        await File.WriteAllTextAsync(text, Convert.ToBase64String(bytes) + "\n");
        await File.WriteAllTextAsync(shortKey, Convert.ToBase64String(bytes[..16]));

        var fromRaw = await MasterKey.FromFileAsync(raw, CancellationToken.None);
        var fromText = await MasterKey.FromFileAsync(text, CancellationToken.None);

        Assert.Equal(fromRaw.Id, fromText.Id);
        await Assert.ThrowsAsync<KeyFormatException>(() => MasterKey.FromFileAsync(shortKey, CancellationToken.None));
        await Assert.ThrowsAsync<KeyFormatException>(() => MasterKey.FromFileAsync(Path.Combine(work, "missing"), CancellationToken.None));
        Assert.Throws<KeyFormatException>(() => MasterKey.FromBase64("not base64!"));
    }
}
