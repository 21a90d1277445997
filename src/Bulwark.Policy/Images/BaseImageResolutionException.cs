namespace Bulwark.Policy.Images;

/// <summary>A base image could not be looked up; the check reports it and fails rather than guess.</summary>
public sealed class BaseImageResolutionException : Exception
{
    public BaseImageResolutionException()
    {
    }

    public BaseImageResolutionException(string message)
        : base(message)
    {
    }

    public BaseImageResolutionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
