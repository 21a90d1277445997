using Microsoft.AspNetCore.Http;

namespace Bulwark.Registry.Events;

/// <summary>
/// Receives registry events (audit, scan-on-push, webhooks). Register any number in DI; each is called in turn after
/// the change is committed, with the request that made it (for the caller, address and user agent).
/// </summary>
public interface IRegistryEventSink
{
    /// <summary>Whether this sink wants <see cref="RegistryEventKind.ManifestPulled"/>; pulls are not published otherwise.</summary>
    bool WantsPulls { get; }

    Task OnEventAsync(HttpContext context, RegistryEvent registryEvent, CancellationToken cancellationToken);
}
