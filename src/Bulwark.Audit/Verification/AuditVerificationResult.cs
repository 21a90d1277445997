namespace Bulwark.Audit.Verification;

/// <summary>The outcome of verifying a chain: valid, or the first problem found.</summary>
/// <param name="Records">Records checked before the first problem (all of them when valid).</param>
/// <param name="CheckpointsMatched">Checkpoints whose sequence was in the chain and whose hash matched.</param>
/// <param name="Notes">Limits of what could be proved (an unanchored start, unchecked signatures).</param>
public sealed record AuditVerificationResult(
    AuditTamperFinding? Finding,
    long Records,
    long? FirstSequence,
    long? LastSequence,
    string? HeadHash,
    int CheckpointsMatched,
    IReadOnlyList<string> Notes)
{
    public bool IsValid => Finding is null;
}
