namespace Bulwark.Audit.Verification;

/// <summary>The first problem found: its kind, the sequence number it is at (when known) and an explanation.</summary>
public sealed record AuditTamperFinding(AuditTamperKind Kind, long? Sequence, string Reason)
{
    public override string ToString() => Sequence is { } s ? $"{Kind} at sequence {s}: {Reason}" : $"{Kind}: {Reason}";
}
