using System.CommandLine;
using Bulwark.Audit;
using Bulwark.Audit.Checkpoints;
using Bulwark.Audit.Export;
using Bulwark.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>bulwark audit export</c>: writes the log as JSON lines, streaming.</summary>
internal static class AuditExportCommand
{
    public static Command Create()
    {
        var flags = new ServerOptionFlags();
        var from = new Option<long?>("--from") { Description = "First sequence number to export" };
        var to = new Option<long?>("--to") { Description = "Last sequence number to export" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output" };
        var command = new Command("export", "Export audit records as JSON lines (with the checkpoints that cover them)");
        flags.AddTo(command);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(output);
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            var (first, last) = (result.GetValue(from), result.GetValue(to));
            if (first > last)
            {
                await error.WriteLineAsync("bulwark audit export: --from is after --to");
                return ExitCodes.UsageError;
            }

            try
            {
                await using var app = await AuditCommand.OpenAsync(flags, result, cancellationToken);
                var log = app.Services.GetRequiredService<IAuditLog>();
                var checkpoints = await app.Services.GetRequiredService<AuditCheckpoints>().ListAsync(cancellationToken);
                var covering = checkpoints.Where(c => c.Sequence >= (first ?? 0) && c.Sequence <= (last ?? long.MaxValue)).ToList();
                var path = result.GetValue(output);
                await using var stream = path is null ? Console.OpenStandardOutput() : new FileStream(path, FileMode.Create, FileAccess.Write);
                var count = await AuditExportFormat.WriteAsync(stream, log.ReadAsync(first, last, cancellationToken), covering, cancellationToken);
                if (path is not null)
                {
                    await result.InvocationConfiguration.Output.WriteLineAsync($"exported {count} records and {covering.Count} checkpoints to {path}");
                }

                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ServerConfigurationException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"bulwark audit export: {e.Message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }
}
