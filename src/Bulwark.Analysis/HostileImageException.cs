namespace Bulwark.Analysis;

/// <summary>The image breaks a safety rule (path traversal, a decompression bomb, a limit); analysis stops.</summary>
public sealed class HostileImageException : Exception
{
    public HostileImageException()
    {
    }

    public HostileImageException(string message)
        : base(message)
    {
    }

    public HostileImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HostileImageException(HostileImageReason reason, string message)
        : base(message) => Reason = reason;

    public HostileImageReason Reason { get; }
}
