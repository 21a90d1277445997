using System.CommandLine;
using Bulwark.Audit.Checkpoints;
using Bulwark.Audit.Export;
using Bulwark.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>bulwark audit checkpoint</c>: signs the current head (or reuses the checkpoint already there)
/// and prints it; keep the saved file somewhere the server cannot write to prove later that the log was not cut.</summary>
internal static class AuditCheckpointCommand
{
    public static Command Create()
    {
        var flags = new ServerOptionFlags();
        var output = new Option<string?>("--output", "-o") { Description = "Also save the checkpoint to this file" };
        var publicKey = new Option<string?>("--public-key-out") { Description = "Write the checkpoint public key (PEM) to this file" };
        var command = new Command("checkpoint", "Sign and print a checkpoint of the audit log's head");
        flags.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(publicKey);
        command.SetAction(async (result, cancellationToken) =>
        {
            var (stdout, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            try
            {
                await using var app = await AuditCommand.OpenAsync(flags, result, cancellationToken);
                var checkpoints = app.Services.GetRequiredService<AuditCheckpoints>();
                if (result.GetValue(publicKey) is { } keyPath)
                {
                    await File.WriteAllTextAsync(keyPath, checkpoints.Key.PublicKeyPem, cancellationToken);
                }

                if (await checkpoints.CreateAsync(cancellationToken) is not { } checkpoint)
                {
                    await error.WriteLineAsync("bulwark audit checkpoint: the audit log is empty");
                    return ExitCodes.CheckFailed;
                }

                using (var buffer = new MemoryStream())
                {
                    await AuditExportFormat.WriteCheckpointAsync(buffer, checkpoint, cancellationToken);
                    await stdout.WriteAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
                }

                if (result.GetValue(output) is { } path)
                {
                    await using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
                    await AuditExportFormat.WriteCheckpointAsync(file, checkpoint, cancellationToken);
                }

                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ServerConfigurationException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                await error.WriteLineAsync($"bulwark audit checkpoint: {e.Message}");
                return ExitCodes.UsageError;
            }
        });
        return command;
    }
}
