namespace Bulwark.Cli.Commands.Signing;

/// <summary>A keygen/sign/verify request that cannot be carried out as given (exit code 2).</summary>
internal sealed class SigningUsageException(string message) : Exception(message);
