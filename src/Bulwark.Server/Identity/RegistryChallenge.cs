using Bulwark.Identity;

namespace Bulwark.Server.Identity;

/// <summary>
/// The <c>WWW-Authenticate: Bearer</c> challenge of the distribution token spec: where to get a token
/// (<c>realm</c>), for which <c>service</c>, and the <c>scope</c> the refused request needs.
/// </summary>
public static class RegistryChallenge
{
    public const string TokenPath = "/auth/token";

    public static string Bearer(HttpContext context, IdentityOptions options, string? scope, string? error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var request = context.Request;
        var challenge = $"Bearer realm=\"{request.Scheme}://{request.Host}{request.PathBase}{TokenPath}\",service=\"{options.Service}\"";
        if (scope is not null)
        {
            challenge += $",scope=\"{scope}\"";
        }

        if (error is not null)
        {
            challenge += $",error=\"{error}\"";
        }

        return challenge;
    }
}
