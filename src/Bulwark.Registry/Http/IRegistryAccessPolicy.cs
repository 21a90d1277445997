using Microsoft.AspNetCore.Http;

namespace Bulwark.Registry.Http;

/// <summary>
/// Decides whether the caller may perform a /v2 operation. Called before every operation; throwing a
/// <see cref="RegistryException"/> (UNAUTHORIZED or DENIED) refuses it. Implementations also decide which
/// repositories a catalog listing may show and whether a cross-repository mount may read its source.
/// </summary>
public interface IRegistryAccessPolicy
{
    Task AuthorizeAsync(HttpContext context, RegistryRoute route, CancellationToken cancellationToken);

    /// <summary>Whether the caller may read <paramref name="repository"/> (mount source, catalog entries).</summary>
    Task<bool> CanReadAsync(HttpContext context, string repository, CancellationToken cancellationToken);
}
