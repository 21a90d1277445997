using System.Text.Json.Nodes;
using Bulwark.Audit;
using Bulwark.Audit.Records;
using Bulwark.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests.Admission;

/// <summary>
/// The validating webhook verifies signatures itself (<c>admission.requireSignature</c> with <c>signatureKeys</c>):
/// images pushed, scanned and signed with the code of <c>bulwark sign</c> in both storage forms, AdmissionReviews over
/// HTTPS. The cache is off here (<c>cacheDuration: 0</c>), so every review looks at the registry afresh; see
/// <see cref="AdmissionSignatureAuditTests"/> for the cache.
/// </summary>
public sealed class AdmissionSignatureTests(AdmissionSignatureTests.Fixture fixture) : IClassFixture<AdmissionSignatureTests.Fixture>
{
    private const string Host = SignatureTestServer.Host;

    [Fact]
    public async Task SignedByTrustedKey_IsAllowed_AndOtherRegistriesAreNotSignatureChecked()
    {
        await fixture.PushScannedAsync("sig/signed", "1");
        var signature = await fixture.SignAsync("sig/signed", "1", fixture.Trusted);
        Assert.False(signature.UsedReferrersTag);

        var response = await fixture.ValidateAsync("signed", $"{Host}/sig/signed:1", $"{Host}/sig/signed@{signature.ManifestDigest}");

        Assert.True(response["allowed"]!.GetValue<bool>(), response.ToJsonString());
        // registry.k8s.io/pause (the init container) has no signature and is judged by allowedRegistries alone.
        Assert.Null(response["warnings"]);
    }

    [Theory]
    [InlineData("simple-signing")]
    [InlineData("bundle")]
    public async Task SignedByTrustedKey_InEitherFormAlone_IsAllowed(string kept)
    {
        var repository = $"sig/form-{kept}";
        await fixture.PushScannedAsync(repository, "1");
        var signature = await fixture.SignAsync(repository, "1", fixture.Trusted);
        // Remove the other form: the .sig tag, or the referrer manifest.
        await fixture.DeleteManifestAsync(repository, kept == "bundle" ? signature.SignatureTag : signature.ReferrerDigest);

        var response = await fixture.ValidateAsync($"form-{kept}", $"{Host}/{repository}:1");

        Assert.True(response["allowed"]!.GetValue<bool>(), response.ToJsonString());
    }

    [Fact]
    public async Task Unsigned_IsDenied_NamingContainerImageAndRule()
    {
        var digest = await fixture.PushScannedAsync("sig/unsigned", "1");

        var response = await fixture.ValidateAsync("unsigned", $"{Host}/sig/unsigned:1");

        Assert.False(response["allowed"]!.GetValue<bool>());
        var message = response["status"]!["message"]!.GetValue<string>();
        Assert.Contains($"[signature] container \"app0\" image \"{Host}/sig/unsigned:1\": signature not verified: no signature found for {digest}", message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("[scanPolicy]", message, StringComparison.Ordinal);
        Assert.DoesNotContain("registry.k8s.io", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedByAnotherKey_IsDenied()
    {
        var digest = await fixture.PushScannedAsync("sig/stranger", "1");
        await fixture.SignAsync("sig/stranger", "1", fixture.Stranger);

        var response = await fixture.ValidateAsync("stranger", $"{Host}/sig/stranger:1");

        Assert.False(response["allowed"]!.GetValue<bool>());
        var message = response["status"]!["message"]!.GetValue<string>();
        Assert.Contains($"[signature] container \"app0\" image \"{Host}/sig/stranger:1\": signature not verified: signed, but by no trusted key: "
            + $"0 of the required 1 trusted key(s) signed {digest}", message, StringComparison.Ordinal);
        Assert.Contains($"sig/stranger:sha256-{digest.Encoded}.sig layer sha256:", message, StringComparison.Ordinal);
        Assert.Contains("not signed by any trusted key (trusted.pub)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignatureOfAnotherDigest_IsDenied()
    {
        await fixture.PushScannedAsync("sig/copied", "signed");
        var target = await fixture.PushScannedAsync("sig/copied", "target");
        var signature = await fixture.SignAsync("sig/copied", "signed", fixture.Trusted);
        await fixture.CopySignaturesAsync("sig/copied", signature, target);

        var response = await fixture.ValidateAsync("copied", $"{Host}/sig/copied:target");

        Assert.False(response["allowed"]!.GetValue<bool>());
        var message = response["status"]!["message"]!.GetValue<string>();
        Assert.Contains($"[signature] container \"app0\" image \"{Host}/sig/copied:target\": signature not verified: signature does not match the digest: "
            + $"0 of the required 1 trusted key(s) signed {target}", message, StringComparison.Ordinal);
        Assert.Contains($"the payload signs {signature.ManifestDigest}, not this image ({target})", message, StringComparison.Ordinal);
        Assert.Contains($"the statement is about {signature.ManifestDigest}, not {target}", message, StringComparison.Ordinal);
        // The original keeps its signature.
        Assert.True((await fixture.ValidateAsync("original", $"{Host}/sig/copied:signed"))["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TagMovedToUnsignedDigest_IsDenied()
    {
        await fixture.PushScannedAsync("sig/moving", "1");
        await fixture.SignAsync("sig/moving", "1", fixture.Trusted);
        Assert.True((await fixture.ValidateAsync("before", $"{Host}/sig/moving:1"))["allowed"]!.GetValue<bool>());

        var moved = await fixture.PushScannedAsync("sig/moving", "1");

        var response = await fixture.ValidateAsync("after", $"{Host}/sig/moving:1");
        Assert.False(response["allowed"]!.GetValue<bool>());
        Assert.Contains($"signature not verified: no signature found for {moved}", response["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Denial_IsAuditedWithTheSignatureFinding()
    {
        await fixture.PushScannedAsync("sig/audited", "1");

        await fixture.ValidateAsync("audited-signature", $"{Host}/sig/audited:1");

        var log = fixture.Server.App.Services.GetRequiredService<IAuditLog>();
        var record = Assert.Single((await log.QueryAsync(new AuditQuery { Action = AuditActions.AdmissionReview, Target = "shop/Pod/audited-signature" },
            CancellationToken.None)).Records);
        Assert.Equal(AuditOutcome.Denied, record.Outcome);
        Assert.Contains("[signature] container \"app0\"", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImagesEndpoint_ReportsTheSignatureRule()
    {
        await fixture.PushScannedAsync("sig/check", "signed");
        await fixture.SignAsync("sig/check", "signed", fixture.Trusted);
        await fixture.PushScannedAsync("sig/check", "unsigned");
        using var content = new StringContent($$"""{"images":["{{Host}}/sig/check:signed","{{Host}}/sig/check:unsigned"]}""",
            System.Text.Encoding.UTF8, "application/json");
        using var response = await fixture.Server.Anonymous.PostAsync("/k8s/admission/images", content);
        response.EnsureSuccessStatusCode();
        var images = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["images"]!.AsArray();
        Assert.Equal([true, false], images.Select(i => i!["allowed"]!.GetValue<bool>()));
        Assert.Equal("signature", images[1]!["findings"]![0]!["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConfigChange_ListsTheKeyPaths_NeverKeyMaterial()
    {
        var log = fixture.Server.App.Services.GetRequiredService<IAuditLog>();
        var record = Assert.Single((await log.QueryAsync(new AuditQuery { Action = AuditActions.ConfigChange }, CancellationToken.None)).Records);
        var settings = record.Details!["settings"];

        Assert.Contains($"\"admission.signatureKeys\":{System.Text.Json.JsonSerializer.Serialize(fixture.TrustedKeyFile)}", settings, StringComparison.Ordinal);
        Assert.Contains("\"admission.minimumSignatures\":\"1\"", settings, StringComparison.Ordinal);
        Assert.Contains("\"admission.cacheDuration\":\"00:00:00\"", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("PUBLIC KEY", settings, StringComparison.Ordinal);
        var material = fixture.Trusted.PublicKey.ToPem().Split('\n')[1];
        Assert.DoesNotContain(material[..40], settings, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_RequireSignatureWithoutKeys_IsRefused()
    {
        var options = NewOptions();
        options.Admission.RequireSignature = true;

        var error = Assert.Throws<ServerConfigurationException>(() => BulwarkServer.Build(options));

        Assert.Equal("admission.requireSignature is true but admission.signatureKeys lists no key: every image would be denied", error.Message);
    }

    [Fact]
    public void Start_BadSignatureKeys_AreRefusedAllAtOnce()
    {
        var options = NewOptions();
        var missing = Path.Combine(options.Data, "missing.pub");
        var garbage = Path.Combine(options.Data, "garbage.pub");
        var privateKey = Path.Combine(options.Data, "cosign.key");
        var huge = Path.Combine(options.Data, "huge.pub");
        Directory.CreateDirectory(options.Data);
        File.WriteAllText(garbage, "not a key\n");
        File.WriteAllText(huge, new string('A', 70 * 1024));
        using (var key = Bulwark.Signing.Keys.SigningKey.Generate())
        {
            File.WriteAllText(privateKey, key.ExportEncryptedPem("passphrase"));
        }

        options.Admission.RequireSignature = true;
        options.Admission.SignatureKeys = [missing, garbage, privateKey, "", huge];
        options.Admission.MinimumSignatures = 0;

        var error = Assert.Throws<ServerConfigurationException>(() => BulwarkServer.Build(options));

        Assert.Contains($"admission.signatureKeys[0]: key file '{missing}' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains($"admission.signatureKeys[1]: key file '{garbage}' is not a usable public key: public key: not a PEM key", error.Message,
            StringComparison.Ordinal);
        Assert.Contains($"admission.signatureKeys[2]: key file '{privateKey}' is not a usable public key: public key: PEM type", error.Message,
            StringComparison.Ordinal);
        Assert.Contains("admission.signatureKeys[3] is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains($"admission.signatureKeys[4]: key file '{huge}' is larger than 65536 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("admission.minimumSignatures must be at least 1, not 0", error.Message, StringComparison.Ordinal);
        Directory.Delete(options.Data, recursive: true);
    }

    [Fact]
    public void Start_MinimumAboveDistinctKeys_IsRefused()
    {
        var options = NewOptions();
        options.Admission.RequireSignature = true;
        // The same key under two paths is one signer.
        var copy = Path.Combine(options.Data, "copy.pub");
        Directory.CreateDirectory(options.Data);
        File.Copy(fixture.TrustedKeyFile, copy);
        options.Admission.SignatureKeys = [fixture.TrustedKeyFile, copy];
        options.Admission.MinimumSignatures = 2;

        var error = Assert.Throws<ServerConfigurationException>(() => BulwarkServer.Build(options));

        Assert.Equal("admission.minimumSignatures is 2 but admission.signatureKeys holds only 1 distinct key(s)", error.Message);
        Directory.Delete(options.Data, recursive: true);
    }

    [Fact]
    public void Load_YamlSignatureSettings_ReadsTheKeys()
    {
        var file = Path.Combine(Path.GetDirectoryName(fixture.TrustedKeyFile)!, "bulwark.yaml");
        File.WriteAllText(file, $"""
            admission:
              requireSignature: true
              signatureKeys: ["{fixture.TrustedKeyFile}"]
              minimumSignatures: 1
            """);

        var options = ServerConfiguration.Load(file).Admission.ToOptions();

        Assert.True(options.RequireSignature);
        var key = Assert.Single(options.SignatureKeys!.Keys);
        Assert.Equal("trusted.pub", key.Name);
        Assert.Equal(fixture.Trusted.PublicKey.Fingerprint, key.Key.Fingerprint);
        Assert.Equal(1, options.SignatureKeys.Minimum);
    }

    private static ServerOptions NewOptions() =>
        new() { Listen = "127.0.0.1:0", Data = Path.Combine(Path.GetTempPath(), "bulwark-server-tests", Guid.NewGuid().ToString("N")) };

    /// <summary>Enforce mode, no cache.</summary>
    public sealed class Fixture : SignatureTestServer
    {
        protected override void Configure(ServerOptions options) => options.Admission.CacheDuration = TimeSpan.Zero;
    }
}
