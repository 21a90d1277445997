using System.CommandLine;

namespace Bulwark.Cli.Commands.Admin;

/// <summary>
/// The <c>--server</c> and <c>--creds</c> options of the commands that talk to a running server (<c>admin</c>,
/// <c>scans</c>), and the client they make.
/// </summary>
internal sealed class ServerConnection(string credentialsDescription)
{
    public Option<string> Server { get; } = new("--server")
    {
        Description = "Server URL (http only for loopback)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("BULWARK_SERVER") ?? "http://127.0.0.1:5000",
        Recursive = true,
    };

    public Option<string?> Creds { get; } = new("--creds")
    {
        Description = $"USER:PASSWORD {credentialsDescription}(default: BULWARK_ADMIN_USER, or admin, with BULWARK_ADMIN_PASSWORD)",
        Recursive = true,
    };

    /// <exception cref="AdminUsageException">No credentials were given.</exception>
    public AdminClient CreateClient(ParseResult result) => AdminClient.Create(result.GetValue(Server)!, Credentials(result));

    private string Credentials(ParseResult result) =>
        result.GetValue(Creds)
        ?? (Environment.GetEnvironmentVariable("BULWARK_ADMIN_PASSWORD") is { Length: > 0 } password
            ? $"{Environment.GetEnvironmentVariable("BULWARK_ADMIN_USER") ?? "admin"}:{password}"
            : throw new AdminUsageException("give --creds USER:PASSWORD or set BULWARK_ADMIN_PASSWORD"));
}
