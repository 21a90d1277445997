using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bulwark.Registry.Events;

/// <summary>Publishes an event to every registered sink. The change is already committed, so a failing sink is logged, not thrown.</summary>
internal static partial class RegistryEvents
{
    public static async Task PublishAsync(HttpContext context, RegistryEvent registryEvent)
    {
        foreach (var sink in context.RequestServices.GetServices<IRegistryEventSink>())
        {
            if (registryEvent.Kind == RegistryEventKind.ManifestPulled && !sink.WantsPulls)
            {
                continue;
            }

            try
            {
                // Not the request's token: an event for a committed change is delivered even if the client went away.
                await sink.OnEventAsync(context, registryEvent, CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Bulwark.Registry.Events");
                LogSinkFailed(logger, e, sink.GetType().Name, registryEvent.Kind, registryEvent.Repository);
            }
        }
    }

    /// <summary>Whether any sink wants pulls, so that reads cost nothing when none does.</summary>
    public static bool AnyWantsPulls(HttpContext context) =>
        context.RequestServices.GetServices<IRegistryEventSink>().Any(s => s.WantsPulls);

    [LoggerMessage(Level = LogLevel.Error, Message = "Registry event sink {Sink} failed for {Kind} in {Repository}")]
    private static partial void LogSinkFailed(ILogger logger, Exception exception, string sink, RegistryEventKind kind, string repository);
}
