namespace Bulwark.Audit.Storage;

/// <summary>A stored or exported record cannot be read back as a record at all (a value outside the format).</summary>
public sealed class AuditRecordFormatException : Exception
{
    public AuditRecordFormatException()
    {
    }

    public AuditRecordFormatException(string message)
        : base(message)
    {
    }

    public AuditRecordFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AuditRecordFormatException(long? sequence, string message)
        : base(message) => Sequence = sequence;

    /// <summary>The record's sequence number, when it could be read.</summary>
    public long? Sequence { get; }
}
