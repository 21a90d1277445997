namespace Bulwark.Cli.Commands.Policy;

/// <summary>Bad input to a policy or report command (exit 2), with the message to print.</summary>
internal sealed class PolicyUsageException : Exception
{
    public PolicyUsageException()
    {
    }

    public PolicyUsageException(string message)
        : base(message)
    {
    }

    public PolicyUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
