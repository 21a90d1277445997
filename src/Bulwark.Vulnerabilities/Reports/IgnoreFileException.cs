namespace Bulwark.Vulnerabilities.Reports;

/// <summary>An ignore file that is not the documented YAML list; the message names the line.</summary>
public sealed class IgnoreFileException : Exception
{
    public IgnoreFileException()
    {
    }

    public IgnoreFileException(string message)
        : base(message)
    {
    }

    public IgnoreFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
