namespace Bulwark.Server.Scanning;

/// <summary>A scan job that cannot succeed however often it is retried.</summary>
public sealed class ScanJobException : Exception
{
    public ScanJobException()
    {
    }

    public ScanJobException(string message)
        : base(message)
    {
    }

    public ScanJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
