namespace Bulwark.Policy.Images;

/// <summary>A policy document that cannot be read at all (not YAML, over a size limit); carries the one error that stopped reading.</summary>
public sealed class ImagePolicyFormatException : Exception
{
    public ImagePolicyFormatException(ImagePolicyError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString()) => Error = error;

    public ImagePolicyFormatException()
        : this(new ImagePolicyError("", 0, 0, "the policy cannot be read"))
    {
    }

    public ImagePolicyFormatException(string message)
        : this(new ImagePolicyError("", 0, 0, message))
    {
    }

    public ImagePolicyFormatException(string message, Exception innerException)
        : base(message, innerException) => Error = new ImagePolicyError("", 0, 0, message);

    public ImagePolicyError Error { get; }
}
