using System.CommandLine;
using Bulwark.Server;
using Bulwark.Server.Configuration;
using Microsoft.AspNetCore.Builder;

namespace Bulwark.Cli.Commands;

/// <summary><c>bulwark audit</c>: export, verify, checkpoint and purge the audit log.</summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Export, verify, checkpoint and purge the hash-chained audit log")
    {
        AuditExportCommand.Create(),
        AuditVerifyCommand.Create(),
        AuditCheckpointCommand.Create(),
        AuditPurgeCommand.Create(),
    };

    /// <summary>Opens the server's data (database and checkpoint key) without serving; the data directory must exist.</summary>
    /// <exception cref="ServerConfigurationException">The configuration is invalid or the data directory is missing.</exception>
    public static async Task<WebApplication> OpenAsync(ServerOptionFlags flags, ParseResult result, CancellationToken cancellationToken)
    {
        var options = flags.Load(result);
        if (!Directory.Exists(options.Data))
        {
            throw new ServerConfigurationException($"the data directory {options.Data} does not exist");
        }

        var app = BulwarkServer.Build(options);
        try
        {
            await BulwarkServer.InitializeAsync(app, cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
