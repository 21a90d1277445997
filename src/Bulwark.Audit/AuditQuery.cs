using Bulwark.Audit.Records;

namespace Bulwark.Audit;

/// <summary>Filters for <see cref="IAuditLog.QueryAsync"/>; every filter that is set must match.</summary>
public sealed record AuditQuery
{
    public string? ActorId { get; init; }

    public AuditActorKind? ActorKind { get; init; }

    public string? Action { get; init; }

    /// <summary>Exact target (e.g. <c>team-a/app:latest</c>).</summary>
    public string? Target { get; init; }

    public AuditOutcome? Outcome { get; init; }

    /// <summary>Records at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Records before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The previous page's <see cref="AuditPage.NextCursor"/>; records strictly after it (in <see cref="Order"/>).</summary>
    public long? Cursor { get; init; }

    /// <summary>Newest first by default.</summary>
    public AuditOrder Order { get; init; } = AuditOrder.NewestFirst;

    /// <summary>Page size, capped at <see cref="AuditOptions.MaxPageSize"/>.</summary>
    public int Limit { get; init; } = 100;
}
