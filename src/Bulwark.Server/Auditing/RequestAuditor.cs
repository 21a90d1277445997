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
    public async Task RecordAsync(HttpContext context, string action, string? target, AuditOutcome outcome, string? reason = null,
        IReadOnlyDictionary<string, string>? details = null, AuditActor? actor = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userAgent = context.Request.Headers.UserAgent.ToString();
        var auditEvent = new AuditEvent(actor ?? ActorOf(CallerFeature.Get(context).Principal), action, target, outcome,
            BulwarkAuthenticationHandler.ClientAddress(context), userAgent.Length > 0 ? userAgent : null, reason, details);
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
