using Bulwark.Audit.Records;
using Bulwark.Registry.Events;
using Bulwark.Server.Configuration;

namespace Bulwark.Server.Auditing;

/// <summary>Turns registry events into audit records: pushes, tag moves, deletes, mounts and (when enabled) pulls.</summary>
public sealed class RegistryAuditSink(RequestAuditor auditor, ServerOptions options) : IRegistryEventSink
{
    public bool WantsPulls => options.Audit.Pulls;

    public async Task OnEventAsync(HttpContext context, RegistryEvent registryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registryEvent);
        var e = registryEvent;
        var atDigest = $"{e.Repository}@{e.Digest}";
        switch (e.Kind)
        {
            case RegistryEventKind.ManifestPushed:
                await auditor.RecordAsync(context, AuditActions.RegistryPush, atDigest, AuditOutcome.Success,
                    details: Details(("mediaType", e.MediaType), ("tag", e.Tag), ("subject", e.SubjectDigest)));
                if (e.Tag is not null)
                {
                    // A tag that is created or now points elsewhere; re-pushing the same manifest moves nothing.
                    if (e.PreviousDigest != e.Digest)
                    {
                        await auditor.RecordAsync(context, AuditActions.RegistryTagMove, $"{e.Repository}:{e.Tag}", AuditOutcome.Success,
                            details: Details(("from", e.PreviousDigest), ("to", e.Digest)));
                    }
                }

                break;
            case RegistryEventKind.ManifestDeleted:
            case RegistryEventKind.BlobDeleted:
                await auditor.RecordAsync(context, AuditActions.RegistryDelete, atDigest, AuditOutcome.Success,
                    details: Details(("kind", e.Kind == RegistryEventKind.BlobDeleted ? "blob" : "manifest")));
                break;
            case RegistryEventKind.TagDeleted:
                await auditor.RecordAsync(context, AuditActions.RegistryDelete, $"{e.Repository}:{e.Tag}", AuditOutcome.Success,
                    details: Details(("kind", "tag")));
                break;
            case RegistryEventKind.BlobMounted:
                await auditor.RecordAsync(context, AuditActions.RegistryMount, atDigest, AuditOutcome.Success,
                    details: Details(("from", e.SourceRepository)));
                break;
            case RegistryEventKind.ManifestPulled:
                await auditor.RecordAsync(context, AuditActions.RegistryPull, atDigest, AuditOutcome.Success,
                    details: Details(("tag", e.Tag)));
                break;
        }
    }

    private static Dictionary<string, string>? Details(params (string Key, string? Value)[] pairs)
    {
        var details = pairs.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
        return details.Count == 0 ? null : details;
    }
}
