using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Bulwark.LoadTool;

/// <summary>
/// Answers registry auth challenges the way docker and skopeo do: on a 401 with a <c>Basic</c> challenge it
/// sends the credentials; with a <c>Bearer</c> challenge it fetches a token from the challenge's realm (the
/// Docker token protocol) for the challenge's scope plus pull and push on the benchmark repository, then
/// retries once. The resulting header is reused by every later request, so after the warm-up no
/// measured operation pays for the token dance unless the token expires.
/// </summary>
public sealed class RegistryAuthenticationHandler(RegistryCredentials? credentials, string repository) : DelegatingHandler
{
    private readonly SemaphoreSlim refresh = new(1, 1);
    private AuthenticationHeaderValue? current;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var used = Volatile.Read(ref current);
        request.Headers.Authorization = used;
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.WwwAuthenticate.Count == 0)
        {
            return response;
        }

        var challenge = AuthChallenge.From(response.Headers.WwwAuthenticate.First());
        // Read the 401's (small) error body first: the pool has exactly one connection per worker, and the
        // token request below needs it back.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(Volatile.Read(ref current), used))
            {
                Volatile.Write(ref current, await AuthorizeAsync(challenge, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            refresh.Release();
        }

        var next = Volatile.Read(ref current);
        if (next is null || ReferenceEquals(next, used))
        {
            return response;
        }

        response.Dispose();
        request.Headers.Authorization = next;
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            refresh.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<AuthenticationHeaderValue?> AuthorizeAsync(AuthChallenge challenge, CancellationToken cancellationToken)
    {
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return credentials is null ? null : BasicHeader(credentials);
        }

        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || challenge["realm"] is not { } realm
            || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            return null;
        }

        var query = new List<string>();
        if (challenge["service"] is { } service)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        var scopes = new List<string>();
        if (challenge["scope"] is { } challengeScope)
        {
            scopes.AddRange(challengeScope.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        scopes.Add($"repository:{repository}:pull,push");
        query.AddRange(scopes.Distinct(StringComparer.Ordinal).Select(scope => "scope=" + Uri.EscapeDataString(scope)));

        var tokenUri = new UriBuilder(realmUri)
        {
            Query = string.Join('&', new[] { realmUri.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(query)),
        }.Uri;
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (credentials is not null)
        {
            tokenRequest.Headers.Authorization = BasicHeader(credentials);
        }

        using var tokenResponse = await base.SendAsync(tokenRequest, cancellationToken).ConfigureAwait(false);
        if (!tokenResponse.IsSuccessStatusCode)
        {
            throw new RegistryResponseException("token request", tokenResponse.StatusCode, null);
        }

        await using var body = await tokenResponse.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        // Docker token spec: "token", with "access_token" accepted as an OAuth2-compatible alias.
        var token = document.RootElement.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
            : document.RootElement.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()
            : null;
        return string.IsNullOrEmpty(token) ? null : new AuthenticationHeaderValue("Bearer", token);
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}")));
}
