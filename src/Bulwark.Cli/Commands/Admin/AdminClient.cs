using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bulwark.Cli.Commands.Admin;

/// <summary>
/// Calls the management API of a running server with HTTP Basic credentials and prints the JSON answer.
/// Plain HTTP is only used for loopback addresses; anything else must be HTTPS.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly HttpClient _http;

    private AdminClient(HttpClient http) => _http = http;

    public static AdminClient Create(string server, string credentials)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new AdminUsageException($"--server '{server}' must be an http(s) URL");
        }

        if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            throw new AdminUsageException("refusing to send credentials over plain HTTP to a non-loopback server; use https://");
        }

        if (!credentials.Contains(':', StringComparison.Ordinal))
        {
            throw new AdminUsageException("credentials must be USER:PASSWORD (--creds, or BULWARK_ADMIN_USER and BULWARK_ADMIN_PASSWORD)");
        }

        var http = new HttpClient { BaseAddress = new Uri(uri, "/api/v1/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return new AdminClient(http);
    }

    /// <summary>Sends one request and prints the answer; returns the exit code.</summary>
    public Task<int> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken) =>
        SendAsync(method, path, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>Sends one request with any body (a YAML policy document) and prints the answer; returns the exit code.</summary>
    public async Task<int> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Content = content;

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"bulwark admin: cannot reach the server: {e.Message}");
            return ExitCodes.CheckFailed;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var pretty = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true
                ? JsonNode.Parse(text)!.ToJsonString(Indented)
                : text;
            if (response.IsSuccessStatusCode)
            {
                if (pretty.Length > 0)
                {
                    Console.WriteLine(pretty);
                }

                return ExitCodes.Success;
            }

            await Console.Error.WriteLineAsync($"bulwark admin: {(int)response.StatusCode} {response.ReasonPhrase}");
            if (pretty.Length > 0)
            {
                await Console.Error.WriteLineAsync(pretty);
            }

            return response.StatusCode is HttpStatusCode.BadRequest ? ExitCodes.UsageError : ExitCodes.CheckFailed;
        }
    }

    /// <summary>Sends one request and returns the JSON answer, or prints the error and returns null with the exit code.</summary>
    public async Task<(JsonNode? Json, int ExitCode)> GetJsonAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"bulwark: cannot reach the server: {e.Message}");
            return (null, ExitCodes.CheckFailed);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return (text.Length > 0 ? JsonNode.Parse(text) : null, ExitCodes.Success);
            }

            var detail = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) == true
                ? JsonNode.Parse(text)?["detail"]?.GetValue<string>()
                : null;
            await Console.Error.WriteLineAsync($"bulwark: {(int)response.StatusCode} {response.ReasonPhrase}{(detail is null ? "" : ": " + detail)}");
            return (null, response.StatusCode is HttpStatusCode.BadRequest ? ExitCodes.UsageError : ExitCodes.CheckFailed);
        }
    }

    public void Dispose() => _http.Dispose();
}
