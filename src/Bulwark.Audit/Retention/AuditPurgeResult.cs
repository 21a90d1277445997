using Bulwark.Audit.Checkpoints;

namespace Bulwark.Audit.Retention;

/// <summary>What a retention run archived and removed; <see cref="Checkpoint"/> anchors the records that remain.</summary>
public sealed record AuditPurgeResult(long Purged, long? FirstSequence, long? LastSequence, AuditCheckpoint? Checkpoint);
