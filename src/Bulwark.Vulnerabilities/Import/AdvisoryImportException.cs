namespace Bulwark.Vulnerabilities.Import;

/// <summary>An import that could not complete (download failed or truncated, not a zip, checksum mismatch, too large); the store is unchanged.</summary>
public sealed class AdvisoryImportException : Exception
{
    public AdvisoryImportException()
    {
    }

    public AdvisoryImportException(string message)
        : base(message)
    {
    }

    public AdvisoryImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
