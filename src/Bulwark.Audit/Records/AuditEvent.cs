namespace Bulwark.Audit.Records;

/// <summary>
/// What happened, as reported by the code that did it; <see cref="IAuditLog.AppendAsync"/> adds the sequence
/// number, time and hashes. Client-supplied text (target, user agent, reason, detail values) is truncated to
/// the limits in <see cref="AuditFieldLimits"/> rather than refused, so an oversized header cannot suppress a record.
/// </summary>
/// <param name="Action">One of <see cref="AuditActions"/> (any lower-case dotted name is accepted).</param>
/// <param name="Target">What was acted on: an account, <c>repository:tag</c>, <c>repository@digest</c>, a setting.</param>
/// <param name="Reason">Why it failed or was denied, or a short note; never a secret.</param>
/// <param name="Details">A few extra facts (source repository of a mount, old and new digest of a tag move).</param>
public sealed record AuditEvent(
    AuditActor Actor,
    string Action,
    string? Target,
    AuditOutcome Outcome,
    string? ClientAddress = null,
    string? UserAgent = null,
    string? Reason = null,
    IReadOnlyDictionary<string, string>? Details = null);
