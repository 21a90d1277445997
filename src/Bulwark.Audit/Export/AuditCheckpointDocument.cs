namespace Bulwark.Audit.Export;

/// <summary>A checkpoint as JSON: a saved checkpoint file, or the <c>checkpoint</c> member of an export line.</summary>
public sealed record AuditCheckpointDocument(long Sequence, string HeadHash, string Time, string KeyId, string Signature);
