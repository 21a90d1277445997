using System.Net;

namespace Bulwark.LoadTool;

/// <summary>
/// A registry answered an operation with an unexpected status. The message names the operation, the status
/// and the OCI error code, but no URL, so that equal failures group together in the report.
/// </summary>
public sealed class RegistryResponseException : Exception
{
    public RegistryResponseException()
    {
    }

    public RegistryResponseException(string message)
        : base(message)
    {
    }

    public RegistryResponseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RegistryResponseException(string operation, HttpStatusCode status, string? errorCode)
        : base($"{operation}: HTTP {(int)status} {status}{(errorCode is null ? string.Empty : " " + errorCode)}")
    {
        StatusCode = status;
    }

    public HttpStatusCode? StatusCode { get; }
}
