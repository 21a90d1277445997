namespace Bulwark.Cli.Commands.Admin;

/// <summary>A bad <c>bulwark admin</c> invocation (exit code 2).</summary>
internal sealed class AdminUsageException(string message) : Exception(message)
{
    public AdminUsageException()
        : this("invalid usage")
    {
    }

    public AdminUsageException(string message, Exception inner)
        : this(message + ": " + inner.Message)
    {
    }
}
