using System.Net.Http.Headers;
using System.Text;

namespace Bulwark.Tests.Shared;

/// <summary>The HTTP Basic <c>Authorization</c> header the test clients send. One copy, linked into the test projects that need it.</summary>
internal static class BasicAuth
{
    public static AuthenticationHeaderValue Header(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
