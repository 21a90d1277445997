namespace Bulwark.Audit.Verification;

/// <summary>What verification found wrong with a chain.</summary>
public enum AuditTamperKind
{
    /// <summary>A record's content does not match its hash.</summary>
    Edited,

    /// <summary>Records are missing: a gap in the sequence numbers, or records removed and the rest renumbered.</summary>
    Deleted,

    /// <summary>A record that does not belong: it does not link to its predecessor, repeats a sequence number, or
    /// claims the same predecessor as the record after it.</summary>
    Inserted,

    /// <summary>Records are out of order: sequence numbers go back, or a record sits at another record's position.</summary>
    Reordered,

    /// <summary>A signed checkpoint is beyond the end of the log: the tail was cut off.</summary>
    Truncated,

    /// <summary>The chain's hash at a signed checkpoint differs from the checkpoint: the chain was rewritten up to there.</summary>
    CheckpointMismatch,

    /// <summary>A checkpoint's signature does not verify with the public key (forged, or another key).</summary>
    BadCheckpointSignature,

    /// <summary>The first record does not continue from the given anchor (the end of the archive before it).</summary>
    AnchorMismatch,

    /// <summary>An export line cannot be read as a record or checkpoint.</summary>
    Malformed,
}
