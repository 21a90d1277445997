using Bulwark.Audit;
using Bulwark.Audit.Records;
using Bulwark.Identity.Principals;
using Bulwark.Server.Identity;

namespace Bulwark.Server.Auditing;

/// <summary>
/// Writes audit records for things that happen in HTTP requests: the actor is the request's caller, with its
/// client address and user agent. The action has already happened (or been refused) when this is called, so a
/// failure to write is logged as an error rather than turned into a failed request.
/// </summary>
public sealed partial class RequestAuditor(IAuditLog log, IHostApplicationLifetime lifetime, ILogger<RequestAuditor> logger)
{
    public Task RecordAsync(HttpContext context, string action, string? target, AuditOutcome outcome, string? reason = null,
        IReadOnlyDictionary<string, string>? details = null, AuditActor? actor = null) =>
        AppendAsync(EventFor(context, action, target, outcome, reason, details, actor));

    /// <summary>
    /// Queues the record and returns without waiting for its commit: for frequent successes (token issues, logins)
    /// whose request must not wait for a database commit. The record joins the next group commit; only a crash in
    /// those milliseconds can lose it. Failures, denials and changes are recorded with <see cref="RecordAsync"/>.
    /// </summary>
    /// <remarks>Bounded: beyond <see cref="MaxQueued"/> uncommitted records, callers wait for their commit (back-pressure).</remarks>
    public Task RecordQueuedAsync(HttpContext context, string action, string? target, AuditOutcome outcome, string? reason = null,
        IReadOnlyDictionary<string, string>? details = null, AuditActor? actor = null)
    {
        // Everything is read from the request now; the append itself may outlive it.
        var append = AppendQueuedAsync(EventFor(context, action, target, outcome, reason, details, actor));
        return QueuedRecords > MaxQueued ? append : Task.CompletedTask;
    }

    /// <summary>Uncommitted queued records above which <see cref="RecordQueuedAsync"/> waits.</summary>
    public const int MaxQueued = 10_000;

    private int _queued;

    /// <summary>Records queued by <see cref="RecordQueuedAsync"/> and not committed yet.</summary>
    public int QueuedRecords => Volatile.Read(ref _queued);

    private async Task AppendQueuedAsync(AuditEvent auditEvent)
    {
        Interlocked.Increment(ref _queued);
        try
        {
            await AppendAsync(auditEvent);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    private static AuditEvent EventFor(HttpContext context, string action, string? target, AuditOutcome outcome, string? reason,
        IReadOnlyDictionary<string, string>? details, AuditActor? actor)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userAgent = context.Request.Headers.UserAgent.ToString();
        return new AuditEvent(actor ?? ActorOf(CallerFeature.Get(context).Principal), action, target, outcome,
            BulwarkAuthenticationHandler.ClientAddress(context), userAgent.Length > 0 ? userAgent : null, reason, details);
    }

    private async Task AppendAsync(AuditEvent auditEvent)
    {
        var action = auditEvent.Action;
        var target = auditEvent.Target;
        try
        {
            // The application's token, not the request's: a client that hangs up must not suppress the record.
            await log.AppendAsync(auditEvent, lifetime.ApplicationStopping);
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            LogAppendFailed(logger, e, action, target);
        }
    }

    public static AuditActor ActorOf(PrincipalRef principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Kind switch
        {
            PrincipalKind.User => AuditActor.User(principal.Name),
            PrincipalKind.ServicePrincipal => AuditActor.ServicePrincipal(principal.Name),
            PrincipalKind.RepositoryToken => AuditActor.Token(principal.Name),
            _ => AuditActor.Anonymous,
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the audit record {Action} for {Target}")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string action, string? target);
}
