using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bulwark.Oci;

namespace Bulwark.Analysis.Registry;

/// <summary>
/// An OCI distribution client for one repository: pulls manifests and blobs and, when created with
/// <c>push: true</c>, pushes blobs (POST + monolithic PUT) and manifests. Anonymous, Basic, or Bearer tokens from the
/// realm a 401 challenge names (distribution "token authentication", with Basic credentials when known; a pushing
/// client asks for <c>pull,push</c>). HTTPS except to loopback hosts or with <see cref="RegistrySourceOptions.PlainHttp"/>.
/// </summary>
public sealed class RegistryClient
{
    private static readonly string[] ManifestAccept =
        [MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest];

    private readonly HttpClient http;
    private readonly ImageReference reference;
    private readonly RegistrySourceOptions options;
    private readonly Uri baseUri;
    private readonly Lazy<RegistryCredential?> credential;
    private readonly bool push;
    private AuthenticationHeaderValue? authorization;

    public RegistryClient(HttpClient http, ImageReference reference, RegistrySourceOptions options, bool push = false)
    {
        this.http = http;
        this.push = push;
        this.reference = reference;
        this.options = options;
        var scheme = options.PlainHttp || IsLoopback(reference.ApiHost) ? "http" : "https";
        baseUri = new Uri($"{scheme}://{reference.ApiHost}/v2/{reference.Repository}/");
        credential = new Lazy<RegistryCredential?>(() => options.Credential ?? options.AuthFiles.Find(reference.Registry, reference.Repository));
    }

    public static bool IsLoopback(string host)
    {
        var name = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)]
            : host.Count(c => c == ':') == 1 ? host[..host.IndexOf(':', StringComparison.Ordinal)] : host;
        return name == "localhost" || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>Like <see cref="GetManifestAsync"/>, but null when the registry has no such manifest (404).</summary>
    public async Task<(byte[] Content, string? MediaType, string Digest)?> TryGetManifestAsync(string tagOrDigest, CancellationToken cancellationToken)
    {
        return await GetManifestCoreAsync(tagOrDigest, allowMissing: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<(byte[] Content, string? MediaType, string Digest)> GetManifestAsync(string tagOrDigest, CancellationToken cancellationToken) =>
        (await GetManifestCoreAsync(tagOrDigest, allowMissing: false, cancellationToken).ConfigureAwait(false))!.Value;

    private async Task<(byte[] Content, string? MediaType, string Digest)?> GetManifestCoreAsync(string tagOrDigest, bool allowMissing,
        CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "manifests/" + tagOrDigest));
            foreach (var type in ManifestAccept)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            return request;
        }, cancellationToken).ConfigureAwait(false);
        if (allowMissing && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"manifest {tagOrDigest}").ConfigureAwait(false);
        var content = await ReadManifestBodyAsync(response, "manifest", cancellationToken).ConfigureAwait(false);
        var byDigest = Oci.Digest.TryParse(tagOrDigest, out var expected);
        if (byDigest && Oci.Digest.Compute(content, expected.Algorithm) != expected)
        {
            throw new HostileImageException(HostileImageReason.DigestMismatch, $"{reference}: manifest does not match digest {tagOrDigest}");
        }

        // Fetched by tag, the manifest's identity is the digest of the bytes received, whatever a header says.
        var digest = byDigest ? expected : Oci.Digest.Compute(content);
        return (content, response.Content.Headers.ContentType?.MediaType, digest.ToString());
    }

    /// <summary>
    /// The referrers of <paramref name="digest"/> (distribution-spec "Listing Referrers": an image index), filtered by
    /// <paramref name="artifactType"/> when given; null when the registry has no referrers API (404), in which case the
    /// caller falls back to the referrers tag schema (<see cref="ReferrersTag"/>).
    /// </summary>
    public async Task<byte[]?> TryGetReferrersAsync(string digest, string? artifactType, CancellationToken cancellationToken)
    {
        var query = artifactType is null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType);
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "referrers/" + digest + query));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
            return request;
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"referrers of {digest}").ConfigureAwait(false);
        return await ReadManifestBodyAsync(response, "referrers index", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tag of the referrers tag schema for a subject: <c>&lt;alg&gt;-&lt;hex&gt;</c>.</summary>
    public static string ReferrersTag(string subjectDigest) => subjectDigest.Replace(':', '-');

    /// <summary>
    /// Adds <paramref name="referrer"/> to the index tagged <see cref="ReferrersTag"/> of the subject, keeping the entries
    /// already there (distribution-spec: a client pushing to a registry without the referrers API MUST keep that tag up to date).
    /// </summary>
    public async Task AddToReferrersTagAsync(string subjectDigest, Descriptor referrer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(referrer);
        var tag = ReferrersTag(subjectDigest);
        var existing = await TryGetManifestAsync(tag, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciIndex);
            json.WriteStartArray("manifests");
            if (existing is { } index && ReadIndexEntries(index.Content) is { } entries)
            {
                foreach (var entry in entries.Where(e => !(e.TryGetProperty("digest", out var d) && d.ValueEquals(referrer.Digest))))
                {
                    entry.WriteTo(json);
                }
            }

            json.WriteStartObject();
            json.WriteString("mediaType", referrer.MediaType);
            json.WriteString("digest", referrer.Digest);
            json.WriteNumber("size", referrer.Size);
            if (referrer.ArtifactType is { } artifactType)
            {
                json.WriteString("artifactType", artifactType);
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        await PutManifestAsync(tag, buffer.ToArray(), MediaTypes.OciIndex, cancellationToken).ConfigureAwait(false);
    }

    private static List<JsonElement>? ReadIndexEntries(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("manifests", out var m)
                && m.ValueKind == JsonValueKind.Array ? [.. m.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(e => e.Clone())] : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<byte[]> ReadManifestBodyAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var limit = options.Limits.MaxManifestBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new ImageSourceException($"{reference}: {what} is larger than {limit} bytes");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ImageSourceException($"{reference}: {what} is larger than {limit} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Opens a blob; the caller wraps it in digest verification. Redirects (to storage) are followed without credentials.</summary>
    public async Task<Stream> OpenBlobAsync(string digest, CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "blobs/" + digest)), cancellationToken)
            .ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, $"blob {digest}").ConfigureAwait(false);
            return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The repository's tags (distribution-spec "Listing Tags"), following <c>Link</c> pages; at most <paramref name="maxItems"/>.</summary>
    public Task<IReadOnlyList<string>> ListTagsAsync(int maxItems, CancellationToken cancellationToken) =>
        ListAsync(new Uri(baseUri, "tags/list"), "tags", maxItems, cancellationToken);

    /// <summary>The registry's repositories (<c>/v2/_catalog</c>), following <c>Link</c> pages; at most <paramref name="maxItems"/>.</summary>
    public Task<IReadOnlyList<string>> ListRepositoriesAsync(int maxItems, CancellationToken cancellationToken) =>
        ListAsync(new Uri(baseUri, "/v2/_catalog"), "repositories", maxItems, cancellationToken);

    private async Task<IReadOnlyList<string>> ListAsync(Uri first, string property, int maxItems, CancellationToken cancellationToken)
    {
        var items = new List<string>();
        Uri? next = first;
        while (next is not null && items.Count < maxItems)
        {
            var page = next;
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, page), cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, property).ConfigureAwait(false);
            var body = await ReadManifestBodyAsync(response, property + " list", cancellationToken).ConfigureAwait(false);
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(property, out var list)
                    && list.ValueKind == JsonValueKind.Array)
                {
                    items.AddRange(list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Take(maxItems - items.Count));
                }
            }
            catch (JsonException)
            {
                throw new ImageSourceException($"{reference.Registry}: the {property} list is not JSON");
            }

            next = NextPage(response, page);
        }

        return items;
    }

    // distribution-spec: Link: <url>; rel="next" (RFC 5988); only followed on the same registry, so credentials stay there.
    private Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links)
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open < 0 || close <= open || !link[close..].Contains("rel=\"next\"", StringComparison.Ordinal)
                || !Uri.TryCreate(current, link[(open + 1)..close], out var next))
            {
                continue;
            }

            return string.Equals(next.Authority, baseUri.Authority, StringComparison.OrdinalIgnoreCase) && next.Scheme == baseUri.Scheme && next != current
                ? next : null;
        }

        return null;
    }

    /// <summary>
    /// Uploads a blob unless the repository has it: <c>HEAD</c>, then <c>POST /blobs/uploads/</c> and one <c>PUT</c>
    /// with the content and its digest (distribution-spec "monolithic upload" in two steps).
    /// </summary>
    public async Task PushBlobAsync(ReadOnlyMemory<byte> content, string digest, CancellationToken cancellationToken)
    {
        EnsurePush();
        using (var head = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, new Uri(baseUri, "blobs/" + digest)), cancellationToken)
            .ConfigureAwait(false))
        {
            if (head.IsSuccessStatusCode)
            {
                return;
            }
        }

        Uri location;
        using (var start = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "blobs/uploads/")), cancellationToken)
            .ConfigureAwait(false))
        {
            await EnsureSuccessAsync(start, "blob upload").ConfigureAwait(false);
            location = start.Headers.Location is { } l ? (l.IsAbsoluteUri ? l : new Uri(baseUri, l))
                : throw new ImageSourceException($"{reference}: blob upload started without a Location");
        }

        if (!string.Equals(location.Authority, baseUri.Authority, StringComparison.OrdinalIgnoreCase) || location.Scheme != baseUri.Scheme)
        {
            // Credentials go only to the registry itself.
            throw new ImageSourceException($"{reference}: upload location points to another host ({location.Authority})");
        }

        var target = new UriBuilder(location) { Query = (location.Query.TrimStart('?') is { Length: > 0 } q ? q + "&" : "") + "digest=" + Uri.EscapeDataString(digest) }.Uri;
        using var put = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, target)
        {
            Content = new ReadOnlyMemoryContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        }, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(put, $"blob {digest} upload").ConfigureAwait(false);
    }

    /// <summary>Puts a manifest under <paramref name="tagOrDigest"/>; returns the <c>OCI-Subject</c> header when the registry sent one.</summary>
    public async Task<string?> PutManifestAsync(string tagOrDigest, ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken)
    {
        EnsurePush();
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, new Uri(baseUri, "manifests/" + tagOrDigest))
        {
            Content = new ReadOnlyMemoryContent(content) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } },
        }, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"manifest {tagOrDigest} upload").ConfigureAwait(false);
        return response.Headers.TryGetValues("OCI-Subject", out var values) ? values.FirstOrDefault() : null;
    }

    private void EnsurePush()
    {
        if (!push)
        {
            throw new InvalidOperationException("this registry client was created for pulling only");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = create();
            request.Headers.Authorization = authorization;
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0)
            {
                return response;
            }

            var challenge = RegistryChallenge.From(response.Headers);
            response.Dispose();
            authorization = await AuthorizeAsync(challenge, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AuthenticationHeaderValue> AuthorizeAsync(RegistryChallenge? challenge, CancellationToken cancellationToken)
    {
        var user = credential.Value;
        if (challenge is null || challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return user is null
                ? throw new ImageSourceException($"{reference.Registry} requires credentials and none were found (--creds or an auth file)")
                : Basic(user);
        }

        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || !challenge.Parameters.TryGetValue("realm", out var realm)
            || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme is not ("https" or "http"))
        {
            throw new ImageSourceException($"{reference.Registry} asks for unsupported authentication '{challenge.Scheme}'");
        }

        var query = new StringBuilder();
        if (challenge.Parameters.TryGetValue("service", out var service))
        {
            query.Append("service=").Append(Uri.EscapeDataString(service));
        }

        var scope = push ? $"repository:{reference.Repository}:pull,push"
            : challenge.Parameters.TryGetValue("scope", out var s) ? s : $"repository:{reference.Repository}:pull";
        query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(scope));
        var tokenUri = new UriBuilder(realmUri) { Query = (realmUri.Query.TrimStart('?') is { Length: > 0 } q ? q + "&" : "") + query }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (user is not null)
        {
            request.Headers.Authorization = Basic(user);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ImageSourceException($"{reference.Registry}: token request failed with {(int)response.StatusCode}"
                + (user is null ? " (no credentials were found)" : " (check the credentials)"));
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            var token = document.RootElement.TryGetProperty("token", out var t) ? t.GetString()
                : document.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null;
            return token is { Length: > 0 }
                ? new AuthenticationHeaderValue("Bearer", token)
                : throw new ImageSourceException($"{reference.Registry}: token response has no token");
        }
        catch (JsonException)
        {
            throw new ImageSourceException($"{reference.Registry}: token response is not JSON");
        }
    }

    private static AuthenticationHeaderValue Basic(RegistryCredential user) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user.Username}:{user.Password}")));

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound => new ImageSourceException($"{reference}: {what} not found"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ImageSourceException($"{reference}: access to {what} denied ({status})"),
            _ => new ImageSourceException($"{reference}: {what} request failed with {status}"),
        };
    }
}
