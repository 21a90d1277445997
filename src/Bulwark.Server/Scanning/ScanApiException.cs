namespace Bulwark.Server.Scanning;

/// <summary>A refusal of the scan API, turned into ProblemDetails with <see cref="Status"/>.</summary>
public sealed class ScanApiException : Exception
{
    public ScanApiException()
    {
    }

    public ScanApiException(string message)
        : base(message)
    {
    }

    public ScanApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ScanApiException(int status, string message)
        : base(message) => Status = status;

    public int Status { get; } = StatusCodes.Status400BadRequest;
}
