using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bulwark.Oci;

namespace Bulwark.Server.Tests.Policy;

/// <summary>Stores policies, pushes images as a given principal, pulls, and reads decisions through the HTTP APIs.</summary>
internal static class PolicyTestApi
{
    /// <summary>A policy holding images of <c>team/**</c> to no finding above <paramref name="maximumSeverity"/>.</summary>
    public static string VulnerabilityPolicy(string name, string maximumSeverity = "high", string? allow = null) => $$"""
        apiVersion: bulwark.dev/v1
        kind: ImagePolicy
        metadata: {name: {{name}}}
        spec:
          rules:
            - name: no-critical
              repositories: ["team/**"]
              mode: enforce
              vulnerabilities:
                maximumSeverity: {{maximumSeverity}}
        {{(allow is null ? "" : $"        allow: [{allow}]")}}
        """;

    public static async Task<HttpResponseMessage> PutPolicyAsync(HttpClient client, string name, string yaml)
    {
        using var body = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        return await client.PutAsync($"/api/v1/policies/{name}", body);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Pushes a Debian test image with <paramref name="client"/>'s credentials; returns the manifest and layer digests.</summary>
    public static async Task<(Digest Manifest, Digest Layer)> PushAsync(HttpClient client, string repository, string tag, byte[] layer)
    {
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","config":{"User":"app"}}""");
        await PushBlobAsync(client, repository, config);
        await PushBlobAsync(client, repository, layer);
        var manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
             "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{Digest.Compute(config)}}","size":{{config.Length}}},
             "layers":[{"mediaType":"{{MediaTypes.OciLayerGzip}}","digest":"{{Digest.Compute(layer)}}","size":{{layer.Length}}}]}
            """);
        await PutManifestAsync(client, repository, tag, manifest);
        return (Digest.Compute(manifest), Digest.Compute(layer));
    }

    public static async Task PutManifestAsync(HttpClient client, string repository, string reference, byte[] manifest)
    {
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest);
        using var response = await client.PutAsync($"/v2/{repository}/manifests/{reference}", body);
        Assert.True(response.IsSuccessStatusCode, $"manifest push: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task PushBlobAsync(HttpClient client, string repository, byte[] content)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={Digest.Compute(content)}", body);
        Assert.True(response.IsSuccessStatusCode, $"blob push: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static Task<HttpResponseMessage> PullAsync(HttpClient client, string repository, string reference, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd(MediaTypes.OciManifest);
        return client.SendAsync(request);
    }

    /// <summary>Asserts a 403 DENIED whose detail carries <paramref name="status"/> and a reason containing <paramref name="reason"/>; returns the reasons.</summary>
    public static async Task<IReadOnlyList<string>> AssertQuarantinedAsync(HttpResponseMessage response, string status, string reason)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("errors")[0];
        Assert.Equal("DENIED", error.GetProperty("code").GetString());
        var detail = error.GetProperty("detail");
        Assert.Equal(status, detail.GetProperty("status").GetString());
        var reasons = detail.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains(reasons, r => r.Contains(reason, StringComparison.Ordinal));
        return reasons;
    }

    public static async Task<JsonElement?> DecisionAsync(HttpClient client, string repository, Digest digest)
    {
        using var response = await client.GetAsync($"/api/v1/images/{repository}/decisions/{digest}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await JsonAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Polls until the current decision has <paramref name="status"/> (generous timeout; no timing is asserted).</summary>
    public static async Task<JsonElement> WaitForDecisionAsync(HttpClient client, string repository, Digest digest, string status)
    {
        var deadline = DateTime.UtcNow + Scanning.ScanTestImages.Patience;
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await DecisionAsync(client, repository, digest);
            if (last?.GetProperty("current").GetProperty("status").GetString() == status)
            {
                return last.Value;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{repository}@{digest} did not reach '{status}'; last seen: {last}");
        return default;
    }
}
