using System.Text.Json;
using Bulwark.Oci;
using Microsoft.AspNetCore.Http;

namespace Bulwark.Registry.Http;

/// <summary>Writes the distribution spec's responses: errors, JSON documents and pagination links.</summary>
internal static class RegistryResponses
{
    public static async Task WriteErrorAsync(HttpContext context, RegistryException error)
    {
        var (code, status) = RegistryErrors.Describe(error.Code);
        var response = context.Response;
        response.StatusCode = status;
        foreach (var (name, value) in error.Headers)
        {
            response.Headers[name] = value;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        JsonElement? detail = error.Detail is null ? null : JsonSerializer.SerializeToElement(error.Detail);
        var body = new ErrorBody([new ErrorEntry(code, error.Message, detail)]);
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, body, RegistryJsonContext.Default.ErrorBody, context.RequestAborted);
    }

    public static Task WriteJsonAsync<T>(HttpContext context, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type,
        string contentType = "application/json")
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, type);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    /// <summary>distribution-spec "Listing Tags": a <c>Link</c> header to the next page, RFC 5988 style.</summary>
    public static void AddNextLink(HttpContext context, string path, int n, string last)
    {
        var query = QueryString.Create(new Dictionary<string, string?>
        {
            ["n"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["last"] = last,
        });
        context.Response.Headers.Link = $"<{path}{query}>; rel=\"next\"";
    }

    public static void SetUploadHeaders(HttpContext context, string repository, string id, long offset)
    {
        var headers = context.Response.Headers;
        headers.Location = $"/v2/{repository}/blobs/uploads/{id}";
        // end-13: Range is the inclusive range received; an empty upload reports 0-0 as Distribution does.
        headers.Range = $"0-{Math.Max(0, offset - 1)}";
        headers[RegistryHeaders.UploadUuid] = id;
    }

    public static void SetBlobCreated(HttpContext context, string repository, Digest digest)
    {
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"/v2/{repository}/blobs/{digest}";
        context.Response.Headers[RegistryHeaders.ContentDigest] = digest.ToString();
        context.Response.ContentLength = 0;
    }
}
