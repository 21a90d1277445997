using Bulwark.Oci;
using Bulwark.Registry.Events;
using Bulwark.Registry.Manifests;
using Bulwark.Server.Configuration;

namespace Bulwark.Server.Scanning;

/// <summary>
/// Queues a scan for every pushed image: an image manifest whose config is an image config (OCI or Docker) and that
/// has no <c>artifactType</c>, or an index / manifest list. Manifests with a <c>subject</c> (signatures, SBOMs,
/// attestations) and other artifacts (Helm charts, WASM…, recognised by their config media type) are not images and
/// are not queued.
/// </summary>
public sealed partial class ScanOnPushSink(ManifestService manifests, ScanJobStore queue, ServerOptions options, ILogger<ScanOnPushSink> logger)
    : IRegistryEventSink
{
    public bool WantsPulls => false;

    public async Task OnEventAsync(HttpContext context, RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registryEvent);
        if (!options.Scanning.Enabled || registryEvent.Kind != RegistryEventKind.ManifestPushed || registryEvent.Digest is null
            || registryEvent.SubjectDigest is not null)
        {
            return;
        }

        var stored = await manifests.FindAsync(registryEvent.Repository, registryEvent.Digest, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return;
        }

        var document = ManifestParser.Parse(await manifests.ReadContentAsync(stored, cancellationToken).ConfigureAwait(false), stored.MediaType);
        if (!IsImage(document))
        {
            LogSkipped(logger, registryEvent.Repository, registryEvent.Digest, document.EffectiveArtifactType ?? document.MediaType);
            return;
        }

        if (await queue.EnqueueAsync(registryEvent.Repository, registryEvent.Digest, document.MediaType, force: false, cancellationToken)
            .ConfigureAwait(false))
        {
            LogQueued(logger, registryEvent.Repository, registryEvent.Digest);
        }
    }

    /// <summary>Whether a manifest is a container image (or an index of them) rather than an artifact.</summary>
    public static bool IsImage(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Subject is not null || document.ArtifactType is not null)
        {
            return false;
        }

        return document.IsIndex
            ? PlatformManifests(document).Any()
            : document.Config?.MediaType is MediaTypes.OciConfig or MediaTypes.DockerConfig;
    }

    /// <summary>The children of an index that are platform images (not buildx attestations or nested artifacts).</summary>
    public static IEnumerable<Descriptor> PlatformManifests(ManifestDocument index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return index.References.Where(d =>
            d.MediaType is MediaTypes.OciManifest or MediaTypes.DockerManifest or MediaTypes.OciIndex or MediaTypes.DockerManifestList
            && d.ArtifactType is null
            && d.Annotations?.ContainsKey("vnd.docker.reference.type") != true
            && d.Platform is not { Os: "unknown", Architecture: "unknown" });
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Queued a scan of {Repository}@{Digest}")]
    private static partial void LogQueued(ILogger logger, string repository, string digest);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Not scanning {Repository}@{Digest}: an artifact ({Type}), not an image")]
    private static partial void LogSkipped(ILogger logger, string repository, string digest, string type);
}
