using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Bulwark.Server.Tests;

/// <summary>Fetches access tokens from <c>/auth/token</c> as registry clients do and reads their claims.</summary>
public static class TokenClient
{
    public static async Task<JsonElement> GetAsync(LiveServer server, string? user, string? password, params string[] scopes)
    {
        var query = string.Join('&', scopes.Select(s => "scope=" + Uri.EscapeDataString(s)).Append("service=bulwark"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/auth/token?{query}");
        if (user is not null)
        {
            request.Headers.Authorization = LiveServer.BasicAuth(user, password!);
        }

        using var response = await server.Anonymous.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static HttpClient Bearer(LiveServer server, string token)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static JsonElement Payload(string token) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[1]))).RootElement.Clone();
}
