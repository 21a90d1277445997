using System.Net.Http.Headers;

namespace Bulwark.Interop.Tests.Conformance;

/// <summary>
/// The distribution-spec HTTP API spoken plainly through <see cref="HttpClient"/>: each method is one
/// request, nothing is retried or interpreted, so that the tests see exactly what the registry answered.
/// </summary>
public sealed class RegistryApi(HttpClient http)
{
    public const string OctetStream = "application/octet-stream";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    public Uri Url(string pathAndQuery) => new(http.BaseAddress!, pathAndQuery);

    /// <summary>Sends one request. Content headers (Content-Type, Content-Range) go with the body.</summary>
    public async Task<RegistryResponse> SendAsync(
        HttpMethod method,
        Uri uri,
        CancellationToken cancellationToken,
        byte[]? body = null,
        string? contentType = null,
        string? contentRange = null,
        string? accept = null)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            if (contentRange is not null)
            {
                // The spec's chunk ranges are "<start>-<end>", not the RFC 9110 "bytes a-b/n" form.
                request.Content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
            }
        }

        foreach (var mediaType in accept?.Split(',', StringSplitOptions.TrimEntries) ?? [])
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(mediaType));
        }

        using var response = await http.SendAsync(request, cancellationToken);
        return await RegistryResponse.ReadAsync(method, response, cancellationToken);
    }

    // end-4a
    public Task<RegistryResponse> StartUploadAsync(string repository, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Url($"v2/{repository}/blobs/uploads/"), cancellationToken, body: []);

    /// <summary>end-4a then end-6: POST a session, PUT the whole blob with its digest (the suite's setup pattern).</summary>
    public async Task<RegistryResponse> PushBlobAsync(string repository, TestBlob blob, CancellationToken cancellationToken)
    {
        var session = await StartUploadAsync(repository, cancellationToken);
        var location = session.ExpectLocation();
        return await SendAsync(HttpMethod.Put, WithQuery(location, "digest", blob.Digest), cancellationToken, blob.Content, OctetStream);
    }

    /// <summary>Setup step: pushes a blob and fails the test unless the registry accepted it.</summary>
    public async Task SeedBlobAsync(string repository, TestBlob blob, CancellationToken cancellationToken) =>
        (await PushBlobAsync(repository, blob, cancellationToken)).ExpectSuccessOr();

    // end-7
    public Task<RegistryResponse> PutManifestAsync(string repository, string reference, TestBlob manifest, CancellationToken cancellationToken, string mediaType = OciManifest) =>
        SendAsync(HttpMethod.Put, Url($"v2/{repository}/manifests/{reference}"), cancellationToken, manifest.Content, mediaType);

    /// <summary>Setup step: pushes a manifest and fails the test unless the registry accepted it.</summary>
    public async Task<RegistryResponse> SeedManifestAsync(string repository, string reference, TestBlob manifest, CancellationToken cancellationToken, string mediaType = OciManifest) =>
        (await PutManifestAsync(repository, reference, manifest, cancellationToken, mediaType)).ExpectSuccessOr();

    // end-2
    public Task<RegistryResponse> BlobAsync(HttpMethod method, string repository, string digest, CancellationToken cancellationToken) =>
        SendAsync(method, Url($"v2/{repository}/blobs/{digest}"), cancellationToken);

    // end-3
    public Task<RegistryResponse> ManifestAsync(HttpMethod method, string repository, string reference, CancellationToken cancellationToken) =>
        SendAsync(method, Url($"v2/{repository}/manifests/{reference}"), cancellationToken, accept: OciManifest);

    // end-9
    public Task<RegistryResponse> DeleteManifestAsync(string repository, string reference, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, Url($"v2/{repository}/manifests/{reference}"), cancellationToken);

    // end-10
    public Task<RegistryResponse> DeleteBlobAsync(string repository, string digest, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, Url($"v2/{repository}/blobs/{digest}"), cancellationToken);

    // end-8a / end-8b
    public Task<RegistryResponse> TagsAsync(string repository, CancellationToken cancellationToken, string query = "") =>
        SendAsync(HttpMethod.Get, Url($"v2/{repository}/tags/list{query}"), cancellationToken);

    // end-12a / end-12b
    public Task<RegistryResponse> ReferrersAsync(string repository, string digest, CancellationToken cancellationToken, string query = "") =>
        SendAsync(HttpMethod.Get, Url($"v2/{repository}/referrers/{digest}{query}"), cancellationToken);

    /// <summary>Adds a query parameter to an upload location, which may already carry its own state.</summary>
    public static Uri WithQuery(Uri location, string name, string value)
    {
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        return new Uri(location.AbsoluteUri + separator + Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
    }
}
