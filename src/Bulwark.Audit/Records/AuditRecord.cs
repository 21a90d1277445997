namespace Bulwark.Audit.Records;

/// <summary>
/// One entry of the hash-chained audit log. <see cref="Hash"/> is the SHA-256 of the record's canonical form
/// (<see cref="AuditCanonicalForm"/>), which includes <see cref="PreviousHash"/>, so changing, removing,
/// inserting or moving any record breaks the chain from there on.
/// </summary>
/// <param name="Sequence">1, 2, 3… with no gaps.</param>
/// <param name="Time">When it was appended, in whole UTC milliseconds.</param>
/// <param name="Details">Sorted by key (ordinal); null when there are none.</param>
/// <param name="PreviousHash">The <see cref="Hash"/> of record <c>Sequence - 1</c>; <see cref="AuditHead.GenesisHash"/> for record 1.</param>
/// <param name="Hash">Lower-case hex SHA-256 of the canonical form.</param>
public sealed record AuditRecord(
    long Sequence,
    DateTimeOffset Time,
    AuditActor Actor,
    string Action,
    string? Target,
    string? ClientAddress,
    string? UserAgent,
    AuditOutcome Outcome,
    string? Reason,
    IReadOnlyDictionary<string, string>? Details,
    string PreviousHash,
    string Hash)
{
    /// <summary>The version of the canonical form; the <c>version</c> member of every record.</summary>
    public const int FormatVersion = 1;

    /// <summary>Recomputes the hash from the content, ignoring <see cref="Hash"/>.</summary>
    public string ComputeHash() => AuditCanonicalForm.ComputeHash(this);

    /// <summary>Whether <see cref="Hash"/> matches the content.</summary>
    public bool HasValidHash() => string.Equals(ComputeHash(), Hash, StringComparison.Ordinal);
}
