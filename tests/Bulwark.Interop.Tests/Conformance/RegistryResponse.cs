using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Bulwark.Interop.Tests.Conformance;

/// <summary>
/// A registry response read completely (conformance bodies are small), so that a test can look at it
/// several times and print all of it when an expectation fails.
/// </summary>
public sealed class RegistryResponse
{
    private readonly HttpResponseHeaders headers;
    private readonly HttpContentHeaders contentHeaders;

    private RegistryResponse(HttpMethod method, Uri requestUri, HttpResponseMessage response, byte[] body)
    {
        Method = method;
        RequestUri = requestUri;
        Status = (int)response.StatusCode;
        headers = response.Headers;
        contentHeaders = response.Content.Headers;
        Body = body;
    }

    public HttpMethod Method { get; }

    /// <summary>The URI that was finally answered (after any redirect).</summary>
    public Uri RequestUri { get; }

    public int Status { get; }

    public byte[] Body { get; }

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The <c>Location</c> header resolved against the request, as clients follow it.</summary>
    public Uri? Location => Header("Location") is { Length: > 0 } location ? new Uri(RequestUri, location) : null;

    /// <summary>The <c>Location</c> without scheme and authority: the path and query a client sends next.</summary>
    public string? RelativeLocation => Location?.PathAndQuery;

    public static async Task<RegistryResponse> ReadAsync(HttpMethod method, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var uri = response.RequestMessage?.RequestUri ?? throw new InvalidOperationException("response without request");
        return new RegistryResponse(method, uri, response, body);
    }

    /// <summary>A response header or content header, comma-joined when repeated; null when absent.</summary>
    public string? Header(string name)
    {
        if (headers.TryGetValues(name, out var values) || contentHeaders.TryGetValues(name, out values))
        {
            return string.Join(", ", values);
        }

        return null;
    }

    public JsonDocument Json() => JsonDocument.Parse(Body);

    /// <summary>The <c>code</c> of each entry of an OCI error body <c>{"errors":[{"code":…}]}</c>.</summary>
    public IReadOnlyList<string> ErrorCodes()
    {
        using var document = Json();
        return [.. document.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString() ?? "")];
    }

    /// <summary>Everything about the exchange, for assertion messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(Method).Append(' ').Append(RequestUri).Append(" -> ").Append(Status).AppendLine();
        foreach (var header in headers.Concat(contentHeaders))
        {
            text.Append("  ").Append(header.Key).Append(": ").AppendJoin(", ", header.Value).AppendLine();
        }

        var body = Encoding.UTF8.GetString(Body);
        text.Append(body.Length <= 2_000 ? body : body[..2_000] + "…");
        return text.ToString();
    }

    /// <summary>Fails unless the status is one of <paramref name="expected"/>.</summary>
    public RegistryResponse ExpectStatus(params int[] expected)
    {
        Assert.True(expected.Contains(Status), $"expected status {string.Join(" or ", expected)}\n{Describe()}");
        return this;
    }

    /// <summary>Fails unless the status is 2xx or one of <paramref name="alsoAllowed"/>.</summary>
    public RegistryResponse ExpectSuccessOr(params int[] alsoAllowed)
    {
        Assert.True(IsSuccess || alsoAllowed.Contains(Status), $"expected 2xx or {string.Join(" or ", alsoAllowed)}\n{Describe()}");
        return this;
    }

    /// <summary>Fails unless the response carries a non-empty <c>Location</c>.</summary>
    public Uri ExpectLocation()
    {
        Assert.True(Location is not null, $"expected a Location header\n{Describe()}");
        return Location!;
    }
}
