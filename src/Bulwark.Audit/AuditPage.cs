using Bulwark.Audit.Records;

namespace Bulwark.Audit;

/// <summary>A page of query results; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, long? NextCursor);
