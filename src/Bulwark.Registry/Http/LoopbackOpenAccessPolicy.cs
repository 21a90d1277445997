using Microsoft.AspNetCore.Http;

namespace Bulwark.Registry.Http;

/// <summary>
/// The access policy of a registry with authentication not configured: every operation is allowed. The
/// server only uses it when bound to a loopback address, so nothing off the machine can reach it.
/// </summary>
public sealed class LoopbackOpenAccessPolicy : IRegistryAccessPolicy
{
    public Task AuthorizeAsync(HttpContext context, RegistryRoute route, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> CanReadAsync(HttpContext context, string repository, CancellationToken cancellationToken) => Task.FromResult(true);
}
