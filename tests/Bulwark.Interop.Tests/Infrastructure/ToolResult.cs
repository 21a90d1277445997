namespace Bulwark.Interop.Tests.Infrastructure;

/// <summary>The outcome of one external tool run, with everything needed to explain a failure.</summary>
public sealed record ToolResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>A multi-line description for assertion messages: command, exit code, both streams.</summary>
    public string Describe() =>
        $"$ {CommandLine}\nexit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";

    /// <summary>Fails the current test with the command's output unless it exited with 0.</summary>
    public ToolResult AssertSucceeded()
    {
        Assert.True(Succeeded, Describe());
        return this;
    }
}
