namespace Bulwark.Server.Policy;

/// <summary>A policy document that does not parse or validate, with every error found.</summary>
public sealed class PolicyDocumentException : Exception
{
    public PolicyDocumentException()
    {
    }

    public PolicyDocumentException(string message)
        : base(message) => Errors = [message];

    public PolicyDocumentException(string message, Exception innerException)
        : base(message, innerException) => Errors = [message];

    public PolicyDocumentException(IReadOnlyList<string> errors)
        : base($"the policy document has {errors?.Count} error(s)") => Errors = errors ?? [];

    public IReadOnlyList<string> Errors { get; } = [];
}
