namespace Bulwark.Audit.Records;

/// <summary>The newest record of a chain: its sequence number and hash (sequence 0 and the genesis hash when empty).</summary>
public sealed record AuditHead(long Sequence, string Hash)
{
    /// <summary>The <c>previousHash</c> of record 1: 64 zeros.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static AuditHead Genesis { get; } = new(0, GenesisHash);
}
