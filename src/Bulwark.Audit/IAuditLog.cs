using Bulwark.Audit.Records;

namespace Bulwark.Audit;

/// <summary>
/// The append-only, hash-chained audit log. There is no update or delete: records leave the log only through
/// retention (<see cref="Retention.AuditRetention"/>), which archives them first.
/// </summary>
public interface IAuditLog
{
    /// <summary>
    /// Appends one record and returns it with its sequence number and hashes. Safe to call concurrently from any
    /// number of requests and replicas: the records form one unbroken chain. An event once passed in is written
    /// even if <paramref name="cancellationToken"/> fires while waiting (the action it records has happened);
    /// the HTTP layer should therefore pass a token that ends with the application, not with the request.
    /// </summary>
    /// <exception cref="ArgumentException">The action or a detail key is malformed (a programming error).</exception>
    Task<AuditRecord> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>One page of records matching <paramref name="query"/>, in sequence order; pass the returned
    /// <see cref="AuditPage.NextCursor"/> back as <see cref="AuditQuery.Cursor"/> for the next page.</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Streams records with <paramref name="firstSequence"/> ≤ sequence ≤ <paramref name="lastSequence"/> in order, a batch at a time.</summary>
    IAsyncEnumerable<AuditRecord> ReadAsync(long? firstSequence, long? lastSequence, CancellationToken cancellationToken);

    /// <summary>The newest record's sequence number and hash, read from the database.</summary>
    Task<AuditHead> GetHeadAsync(CancellationToken cancellationToken);
}
