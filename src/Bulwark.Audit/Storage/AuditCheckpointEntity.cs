namespace Bulwark.Audit.Storage;

/// <summary>A row of <c>audit_checkpoints</c>: one signed statement of the chain's head at a sequence number.</summary>
public sealed class AuditCheckpointEntity
{
    public long Sequence { get; set; }

    public required string HeadHash { get; set; }

    public DateTimeOffset Time { get; set; }

    public required string KeyId { get; set; }

    public required string Signature { get; set; }
}
