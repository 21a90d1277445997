using System.CommandLine;

namespace Bulwark.Cli.Commands.Policy;

/// <summary><c>bulwark policy</c>: image policy commands.</summary>
internal static class PolicyCommand
{
    public static Command Create() => new("policy", "Image policies: check an image against a policy") { PolicyCheckCommand.Create() };
}
