using System.Security.Cryptography;
using Bulwark.Audit.Checkpoints;
using Bulwark.Audit.Records;

namespace Bulwark.Audit.Verification;

/// <summary>What to check a chain against besides itself.</summary>
public sealed record AuditVerificationOptions
{
    /// <summary>The record just before the first one checked (the last record of the previous archive); the
    /// first record must have sequence <c>Anchor.Sequence + 1</c> and previousHash <c>Anchor.Hash</c>.</summary>
    public AuditHead? Anchor { get; init; }

    /// <summary>Signed checkpoints (saved ones, stored ones, ones in the export).</summary>
    public IReadOnlyList<AuditCheckpoint> Checkpoints { get; init; } = [];

    /// <summary>Verifies the checkpoints' signatures; without it they are compared with the chain but not
    /// trusted to prove a truncation (a note says so).</summary>
    public ECDsa? PublicKey { get; init; }

    /// <summary>
    /// The log must begin right after the newest checkpoint below its first record (retention leaves one there
    /// when it purges), so records removed from the start are found too. Set for the database, where every
    /// purge leaves such a checkpoint; not for an export of an arbitrary range.
    /// </summary>
    public bool StartFollowsCheckpoint { get; init; }
}
