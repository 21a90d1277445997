using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bulwark.Oci;

namespace Bulwark.LoadTool;

/// <summary>
/// The distribution-spec calls the scenarios need, over one <see cref="HttpClient"/>. Every method checks the
/// status the spec requires and throws <see cref="RegistryResponseException"/> otherwise.
/// </summary>
public sealed class RegistryClient(HttpClient http, Uri registry, string repository)
{
    private const int ReadBufferSize = 128 << 10;

    private long httpRequests;

    public string Repository { get; } = repository;

    /// <summary>HTTP requests sent so far (auth retries and token requests not included).</summary>
    public long HttpRequests => Interlocked.Read(ref httpRequests);

    /// <summary><c>GET /v2/</c>: checks the API version and, through the auth handler, obtains credentials.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry, "/v2/"));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureAsync(response, "ping", HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>POST then a single PUT with the whole body and the digest (distribution-spec "POST then PUT").</summary>
    public async Task PushBlobAsync(Digest digest, HttpContent content, CancellationToken cancellationToken)
    {
        var location = await StartUploadAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = content };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureAsync(response, "blob upload PUT", HttpStatusCode.Created, cancellationToken);
    }

    public async Task PushBlobAsync(byte[] content, CancellationToken cancellationToken)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await PushBlobAsync(Digest.Compute(content), body, cancellationToken);
    }

    /// <summary>POST, PATCH chunks with Content-Range, then PUT with the digest (distribution-spec "chunked upload").</summary>
    public async Task PushBlobChunkedAsync(SyntheticBlobVariant blob, long chunkSize, CancellationToken cancellationToken)
    {
        var location = await StartUploadAsync(cancellationToken);
        for (var offset = 0L; offset < blob.Size; offset += chunkSize)
        {
            var length = Math.Min(chunkSize, blob.Size - offset);
            using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = blob.CreateContent(offset, length) };
            patch.Content.Headers.TryAddWithoutValidation("Content-Range",
                string.Create(CultureInfo.InvariantCulture, $"{offset}-{offset + length - 1}"));
            using var response = await SendAsync(patch, HttpCompletionOption.ResponseContentRead, cancellationToken);
            await EnsureAsync(response, "blob upload PATCH", HttpStatusCode.Accepted, cancellationToken);
            location = LocationOf(response, "blob upload PATCH");
        }

        using var put = new HttpRequestMessage(HttpMethod.Put, WithDigest(location, blob.Digest));
        using var done = await SendAsync(put, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureAsync(done, "blob upload final PUT", HttpStatusCode.Created, cancellationToken);
    }

    /// <summary>GETs a blob and reads it to the end through a pooled buffer; returns the bytes read.</summary>
    public async Task<long> PullBlobAsync(Digest digest, long expectedSize, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry, $"/v2/{Repository}/blobs/{digest}"));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(response, "blob GET", HttpStatusCode.OK, cancellationToken);
        var read = await DrainAsync(response, cancellationToken);
        return read == expectedSize
            ? read
            : throw new RegistryResponseException($"blob GET: read {read} bytes, expected {expectedSize}");
    }

    public async Task PutManifestAsync(string reference, byte[] manifest, string mediaType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(registry, $"/v2/{Repository}/manifests/{reference}"))
        {
            Content = new ByteArrayContent(manifest),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureAsync(response, "manifest PUT", HttpStatusCode.Created, cancellationToken);
    }

    /// <summary>GETs a manifest by tag or digest; returns its length in bytes.</summary>
    public async Task<long> GetManifestAsync(string reference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry, $"/v2/{Repository}/manifests/{reference}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciManifest));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.DockerManifest));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.DockerManifestList));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(response, "manifest GET", HttpStatusCode.OK, cancellationToken);
        return await DrainAsync(response, cancellationToken);
    }

    private async Task<Uri> StartUploadAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(registry, $"/v2/{Repository}/blobs/uploads/"));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureAsync(response, "blob upload POST", HttpStatusCode.Accepted, cancellationToken);
        return LocationOf(response, "blob upload POST");
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref httpRequests);
        return http.SendAsync(request, completion, cancellationToken);
    }

    private Uri LocationOf(HttpResponseMessage response, string operation) =>
        response.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(registry, location)
            : throw new RegistryResponseException($"{operation}: no Location header");

    private static Uri WithDigest(Uri location, Digest digest)
    {
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        return new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest.ToString()));
    }

    private static async Task<long> DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string operation, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode == expected)
        {
            return;
        }

        throw new RegistryResponseException(operation, response.StatusCode, await ErrorCodeAsync(response, cancellationToken));
    }

    /// <summary>The first <c>errors[].code</c> of an OCI error body, if the body is one.</summary>
    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(text.Length > 65_536 ? text[..65_536] : text);
            return document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0 && errors[0].TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
