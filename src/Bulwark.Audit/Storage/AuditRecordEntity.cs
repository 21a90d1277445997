namespace Bulwark.Audit.Storage;

/// <summary>A row of <c>audit_records</c>. The sequence number is the primary key, so two writers can never
/// both append the same number: the loser gets a conflict and re-reads the head.</summary>
public sealed class AuditRecordEntity
{
    public long Sequence { get; set; }

    public DateTimeOffset Time { get; set; }

    public required string ActorKind { get; set; }

    public string? ActorId { get; set; }

    public required string Action { get; set; }

    public string? Target { get; set; }

    public string? ClientAddress { get; set; }

    public string? UserAgent { get; set; }

    public required string Outcome { get; set; }

    public string? Reason { get; set; }

    /// <summary>The canonical JSON of the details object, or null.</summary>
    public string? Details { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}
