using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Bulwark.Analysis.Registry;
using Bulwark.Oci;
using Bulwark.Server.Configuration;
using Bulwark.Server.Tests.Scanning;
using Bulwark.Signing.Images;
using Bulwark.Signing.Keys;
using Bulwark.Tests.Shared;

namespace Bulwark.Server.Tests.Admission;

/// <summary>
/// An HTTPS server whose webhook requires signatures by <see cref="Trusted"/> (its public key in a PEM file named in
/// <c>admission.signatureKeys</c>), with scanning on so that images pass <c>scanPolicy</c>, and helpers that push
/// scanned images and sign them with <see cref="ImageSigner"/> — the code of <c>bulwark sign</c>, both storage forms.
/// </summary>
public abstract class SignatureTestServer : IAsyncLifetime
{
    public const string Host = AdmissionWebhookTests.Host;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bulwark-admission-signature-tests", Guid.NewGuid().ToString("N"));
    private SelfSignedTls? _tls;

    public LiveServer Server { get; private set; } = null!;

    /// <summary>The key the webhook trusts.</summary>
    public SigningKey Trusted { get; } = SigningKey.Generate();

    /// <summary>A key nobody trusts.</summary>
    public SigningKey Stranger { get; } = SigningKey.Generate();

    public string TrustedKeyFile => Path.Combine(_directory, "trusted.pub");

    /// <summary>The admission settings of this server beyond the shared ones (mode, cache).</summary>
    protected abstract void Configure(ServerOptions options);

    public async Task InitializeAsync()
    {
        _tls = new SelfSignedTls(_directory);
        await File.WriteAllTextAsync(TrustedKeyFile, Trusted.PublicKey.ToPem());
        var tls = _tls;
        Server = await LiveServer.StartAsync(o =>
            {
                AdmissionWebhookTests.Fixture.Configure(o);
                o.Tls = tls.Options;
                o.Admission.RequireSignature = true;
                o.Admission.SignatureKeys = [TrustedKeyFile];
                Configure(o);
            },
            handler: tls.Handler);
    }

    /// <summary>Pushes a Debian test image (unique content) and waits until its scan is done.</summary>
    public async Task<Digest> PushScannedAsync(string repository, string tag)
    {
        var (digest, _) = await ScanTestImages.PushAsync(Server, repository, tag, ScanTestImages.DebianLayer($"{repository}:{tag}:{Guid.NewGuid():N}"));
        await ScanTestImages.WaitForStatusAsync(Server, repository, tag, "done");
        return digest;
    }

    /// <summary>Signs <paramref name="repository"/>:<paramref name="reference"/> as <c>bulwark sign</c> does, over HTTPS as the admin.</summary>
    public async Task<ImageSignature> SignAsync(string repository, string reference, SigningKey key)
    {
        using var http = new HttpClient(new HttpsOnly(_tls!.Handler()));
        var image = new ImageReference { Registry = Server.BaseAddress.Authority, Repository = repository, Tag = reference };
        var client = new RegistryClient(http, image, new RegistrySourceOptions { Credential = new RegistryCredential("admin", LiveServer.AdminPassword) },
            push: true);
        return await ImageSigner.SignAsync(client, image, key, CancellationToken.None);
    }

    /// <summary>
    /// Copies the signatures of <paramref name="original"/> onto <paramref name="target"/> in the same repository, as an
    /// attacker with push rights would: the <c>.sig</c> manifest under the target's tag, and the Sigstore bundle referrer
    /// with its subject pointed at the target. Both still verify with the key, but are about another digest.
    /// </summary>
    public async Task CopySignaturesAsync(string repository, ImageSignature original, Digest target)
    {
        var targetManifest = await GetManifestAsync(repository, target.ToString());
        var sig = await GetManifestAsync(repository, original.SignatureTag);
        await PutAsync(repository, $"{target.Algorithm}-{target.Encoded}.sig", sig);
        var referrer = JsonNode.Parse(await GetManifestAsync(repository, original.ReferrerDigest))!;
        referrer["subject"] = new JsonObject { ["mediaType"] = MediaTypes.OciManifest, ["digest"] = target.ToString(), ["size"] = targetManifest.Length };
        var bytes = System.Text.Encoding.UTF8.GetBytes(referrer.ToJsonString());
        await PutAsync(repository, Digest.Compute(bytes).ToString(), bytes);
    }

    public async Task<byte[]> GetManifestAsync(string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciManifest));
        using var response = await Server.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    public async Task DeleteManifestAsync(string repository, string reference)
    {
        using var response = await Server.Client.DeleteAsync($"/v2/{repository}/manifests/{reference}");
        Assert.True(response.IsSuccessStatusCode, $"DELETE {reference}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Asks the validating webhook about a restricted pod running <paramref name="images"/> (plus registry.k8s.io/pause as init).</summary>
    public async Task<JsonNode> ValidateAsync(string name, params string[] images)
    {
        var spec = AdmissionReviews.RestrictedPodSpec("registry.k8s.io/pause:3.9", images);
        var review = AdmissionReviews.Review("v1", "Pod", "pods", AdmissionReviews.Workload("v1", "Pod", [], name, "shop", spec));
        using var content = new ByteArrayContent(AdmissionReviews.Bytes(review));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Server.Anonymous.PostAsync("/k8s/admission/validate", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["response"]!;
    }

    private async Task PutAsync(string repository, string reference, byte[] manifest)
    {
        using var response = await Server.PutManifestAsync(repository, reference, manifest, MediaTypes.OciManifest);
        Assert.True(response.IsSuccessStatusCode, $"PUT {reference}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task DisposeAsync()
    {
        Trusted.Dispose();
        Stranger.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// The registry client speaks plain HTTP to loopback addresses (as skopeo does); this test server only speaks HTTPS,
    /// so requests are sent over HTTPS to the same address.
    /// </summary>
    private sealed class HttpsOnly(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { Scheme: "http" } uri)
            {
                request.RequestUri = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps, Port = uri.Port }.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
