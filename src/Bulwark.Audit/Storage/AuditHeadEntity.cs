namespace Bulwark.Audit.Storage;

/// <summary>
/// The single row of <c>audit_head</c>: the sequence number and hash the next record must follow. Every append
/// updates it in the same transaction as its records, with the old sequence number as a concurrency token, so
/// two writers (replicas, the CLI) can never both extend the same head — and a writer can never extend a head
/// that retention has since purged from <c>audit_records</c>.
/// </summary>
public sealed class AuditHeadEntity
{
    public const int SingletonId = 1;

    public int Id { get; set; }

    public long Sequence { get; set; }

    public required string Hash { get; set; }
}
