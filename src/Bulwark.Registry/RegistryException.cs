namespace Bulwark.Registry;

/// <summary>A request the registry refuses, with the spec's error code; the HTTP edge maps it to a status.</summary>
public sealed class RegistryException : Exception
{
    public RegistryException(RegistryErrorCode code, string message, object? detail = null)
        : base(message)
    {
        Code = code;
        Detail = detail;
    }

    public RegistryException()
        : this(RegistryErrorCode.Unsupported, "unsupported")
    {
    }

    public RegistryException(string message)
        : this(RegistryErrorCode.Unsupported, message)
    {
    }

    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = RegistryErrorCode.Unsupported;
    }

    public RegistryErrorCode Code { get; }

    /// <summary>Extra structured detail for the error body; never internal state.</summary>
    public object? Detail { get; }

    /// <summary>Response headers the error needs (<c>WWW-Authenticate</c> on 401, <c>Retry-After</c> on 429).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
