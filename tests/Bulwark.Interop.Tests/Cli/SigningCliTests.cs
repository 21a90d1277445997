using System.Net.Http.Headers;
using System.Text.Json;
using Bulwark.Interop.Tests.Clients;
using Bulwark.Interop.Tests.Infrastructure;

namespace Bulwark.Interop.Tests.Cli;

/// <summary>
/// <c>bulwark keygen</c>, <c>sign</c> and <c>verify</c> as a user runs them against the live registry (Bulwark, or
/// Distribution through the referrers tag). Debian 12's skopeo, podman and buildah are built with sigstore disabled
/// ("Debian-local change: sigstore disabled"), so interop with them is not tested here; see docs/signing.md.
/// </summary>
[Collection(LiveRegistryCollectionDefinition.Name)]
public sealed class SigningCliTests(LiveRegistryFixture registry) : IDisposable
{
    private const string Passphrase = "interop signing passphrase";
    private readonly string repository = TestDeadline.UniqueRepository("interop/signing");
    private readonly CancellationToken cancellation = TestDeadline.Start();
    private readonly string work = Directory.CreateTempSubdirectory("bulwark-signing-cli-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static Dictionary<string, string?> WithPassphrase(string? passphrase = Passphrase) => new() { ["BULWARK_KEY_PASSWORD"] = passphrase };

    [Fact]
    public async Task Keygen_WritesACosignEncryptedKeyAndAPublicKey_AndNeverOverwrites()
    {
        var prefix = await KeygenAsync("k");

        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----", await File.ReadAllTextAsync(prefix + ".key"), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", await File.ReadAllTextAsync(prefix + ".pub"), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(prefix + ".key"));
        var again = await BulwarkExecutable.RunAsync(["keygen", "--out", prefix], cancellation, WithPassphrase());
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_WithoutPassphraseAndWithoutATerminal_ExitsWithUsageError()
    {
        var result = await BulwarkExecutable.RunAsync(["keygen", "--out", Path.Combine(work, "nopass")], cancellation, WithPassphrase(null));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("BULWARK_KEY_PASSWORD", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(work, "nopass.key")));
    }

    [Fact]
    public async Task SignThenVerify_BothFormsVerify_AndAnotherKeyDoesNot()
    {
        var (target, digest) = await PushAsync("v1", TestImages.Amd64);
        var key = await KeygenAsync("signer");
        var other = await KeygenAsync("other");

        var signed = (await BulwarkExecutable.RunAsync(["sign", target, "--key", key + ".key"], cancellation, WithPassphrase())).AssertSucceeded();
        Assert.Contains(digest, signed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($":{digest.Replace(':', '-')}.sig", signed.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(registry.Kind != RegistryKind.Bulwark, signed.StandardOutput.Contains("(referrers tag)", StringComparison.Ordinal));

        var verified = await BulwarkExecutable.RunAsync(["verify", target, "--key", key + ".pub", "--format", "json"], cancellation);
        Assert.True(verified.ExitCode == 0, verified.Describe());
        using var report = JsonDocument.Parse(verified.StandardOutput);
        Assert.True(report.RootElement.GetProperty("verified").GetBoolean());
        Assert.Equal(digest, report.RootElement.GetProperty("digest").GetString());
        Assert.Equal(["simple-signing", "sigstore-bundle"], report.RootElement.GetProperty("verifiedForms").EnumerateArray().Select(f => f.GetString()));
        Assert.StartsWith("sha256:", report.RootElement.GetProperty("keyFingerprint").GetString(), StringComparison.Ordinal);
        Assert.Contains(report.RootElement.GetProperty("keyFingerprint").GetString()!, signed.StandardOutput, StringComparison.Ordinal);

        var text = await BulwarkExecutable.RunAsync(["verify", target, "--key", key + ".pub"], cancellation);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Verified: simple-signing, sigstore-bundle signed by sha256:", text.StandardOutput, StringComparison.Ordinal);

        var wrong = await BulwarkExecutable.RunAsync(["verify", target, "--key", other + ".pub"], cancellation);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("Not verified", wrong.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("does not verify with the key", wrong.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_TwoKeys_AppendsToTheSigTag_AndBothVerify()
    {
        var (target, digest) = await PushAsync("v1", TestImages.Amd64);
        var first = await KeygenAsync("first");
        var second = await KeygenAsync("second");

        (await BulwarkExecutable.RunAsync(["sign", target, "--key", first + ".key"], cancellation, WithPassphrase())).AssertSucceeded();
        (await BulwarkExecutable.RunAsync(["sign", target, "--key", second + ".key"], cancellation, WithPassphrase())).AssertSucceeded();

        using var sig = JsonDocument.Parse(await GetManifestAsync(digest.Replace(':', '-') + ".sig"));
        Assert.Equal(2, sig.RootElement.GetProperty("layers").GetArrayLength());
        foreach (var key in new[] { first, second })
        {
            var result = await BulwarkExecutable.RunAsync(["verify", target, "--key", key + ".pub", "--format", "json"], cancellation);
            Assert.True(result.ExitCode == 0, result.Describe());
        }
    }

    [Fact]
    public async Task Verify_UnsignedImage_ExitsOne()
    {
        var (target, _) = await PushAsync("unsigned", TestImages.Amd64);
        var key = await KeygenAsync("k");

        var result = await BulwarkExecutable.RunAsync(["verify", target, "--key", key + ".pub"], cancellation);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No signatures found", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SignatureCopiedFromAnotherImage_IsRefused()
    {
        var (signedTarget, signedDigest) = await PushAsync("signed", TestImages.Amd64);
        var (victim, victimDigest) = await PushAsync("victim", TestImages.Arm64);
        var key = await KeygenAsync("k");
        (await BulwarkExecutable.RunAsync(["sign", signedTarget, "--key", key + ".key"], cancellation, WithPassphrase())).AssertSucceeded();

        // Replay: the signed image's .sig manifest, put under the other image's .sig tag.
        var sig = await GetManifestAsync(signedDigest.Replace(':', '-') + ".sig");
        using var put = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{victimDigest.Replace(':', '-')}.sig")
        {
            Content = new ByteArrayContent(sig) { Headers = { ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json") } },
        };
        (await registry.Http.SendAsync(put, cancellation)).EnsureSuccessStatusCode();

        var result = await BulwarkExecutable.RunAsync(["verify", victim, "--key", key + ".pub", "--format", "json"], cancellation);

        Assert.Equal(1, result.ExitCode);
        using var report = JsonDocument.Parse(result.StandardOutput);
        var check = Assert.Single(report.RootElement.GetProperty("signatures").EnumerateArray());
        Assert.False(check.GetProperty("verified").GetBoolean());
        Assert.Contains($"not this image ({victimDigest})", check.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_ExitsTwoWithAClearMessage()
    {
        var (target, _) = await PushAsync("v1", TestImages.Amd64);
        var key = await KeygenAsync("k");
        var badPem = Path.Combine(work, "bad.pub");
        await File.WriteAllTextAsync(badPem, "-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n");

        var wrongPassphrase = await BulwarkExecutable.RunAsync(["sign", target, "--key", key + ".key"], cancellation, WithPassphrase("wrong"));
        var noPassphrase = await BulwarkExecutable.RunAsync(["sign", target, "--key", key + ".key"], cancellation, WithPassphrase(null));
        var bad = await BulwarkExecutable.RunAsync(["verify", target, "--key", badPem], cancellation);
        var privateAsPublic = await BulwarkExecutable.RunAsync(["verify", target, "--key", key + ".key"], cancellation);
        var missing = await BulwarkExecutable.RunAsync(["verify", target, "--key", Path.Combine(work, "missing.pub")], cancellation);
        var badReference = await BulwarkExecutable.RunAsync(["verify", "Not A Reference!", "--key", key + ".pub"], cancellation);

        Assert.Equal(2, wrongPassphrase.ExitCode);
        Assert.Contains("wrong passphrase", wrongPassphrase.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, noPassphrase.ExitCode);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("public key", bad.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, privateAsPublic.ExitCode);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, badReference.ExitCode);
    }

    private async Task<string> KeygenAsync(string name)
    {
        var prefix = Path.Combine(work, name);
        (await BulwarkExecutable.RunAsync(["keygen", "--out", prefix], cancellation, WithPassphrase())).AssertSucceeded();
        return prefix;
    }

    private Task<(string Target, string Digest)> PushAsync(string tag, string image) => registry.PushTestImageAsync(repository, tag, image, cancellation);

    private async Task<byte[]> GetManifestAsync(string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await registry.Http.SendAsync(request, cancellation);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(cancellation);
    }
}
