namespace Bulwark.Analysis;

/// <summary>An image source could not be read: not found, unsupported format, a registry error.</summary>
public sealed class ImageSourceException : Exception
{
    public ImageSourceException()
    {
    }

    public ImageSourceException(string message)
        : base(message)
    {
    }

    public ImageSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
