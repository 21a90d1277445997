using System.Net.Http.Json;
using System.Text.Json;

namespace Bulwark.Server.Tests;

/// <summary>Sets up principals through the management API as the system admin, the way an operator would.</summary>
public sealed class IdentityApi(LiveServer server)
{
    /// <summary>Creates a user and assigns it a role on a pattern; returns its Basic client.</summary>
    public async Task<HttpClient> UserAsync(string name, string password, string? role = null, string? pattern = null)
    {
        (await server.Client.PostAsJsonAsync("/api/v1/users", new { name, password })).EnsureSuccessStatusCode();
        if (role is not null)
        {
            await AssignAsync(name, role, pattern);
        }

        return server.CreateClient(name, password);
    }

    public async Task AssignAsync(string principal, string role, string? pattern) =>
        (await server.Client.PostAsJsonAsync("/api/v1/role-assignments", new { principal, role, pattern })).EnsureSuccessStatusCode();

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await server.Client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
