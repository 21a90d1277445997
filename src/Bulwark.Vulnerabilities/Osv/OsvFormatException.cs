namespace Bulwark.Vulnerabilities.Osv;

/// <summary>An OSV document that is not valid JSON, breaks the schema Bulwark relies on, or exceeds a limit.</summary>
public sealed class OsvFormatException : FormatException
{
    public OsvFormatException()
    {
    }

    public OsvFormatException(string message)
        : base(message)
    {
    }

    public OsvFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
