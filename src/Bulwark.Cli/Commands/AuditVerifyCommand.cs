using System.CommandLine;
using System.Security.Cryptography;
using Bulwark.Audit.Checkpoints;
using Bulwark.Audit.Export;
using Bulwark.Audit.Records;
using Bulwark.Audit.Storage;
using Bulwark.Audit.Verification;
using Bulwark.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>bulwark audit verify</c>: recomputes the chain of the database or of an export and reports the
/// first tampered record. Exit 0 valid, 1 tampered, 2 usage or unreadable input.</summary>
internal static class AuditVerifyCommand
{
    public static Command Create()
    {
        var flags = new ServerOptionFlags();
        var file = new Option<string?>("--file") { Description = "Verify this export (JSON lines) instead of the database" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A saved checkpoint (from 'bulwark audit checkpoint -o'): detects a cut-off tail" };
        var publicKey = new Option<string?>("--public-key") { Description = "PEM public key that signed the checkpoints (default for --data: the server's own)" };
        var anchor = new Option<string?>("--anchor") { Description = "The previous archive: the chain must continue from its last record" };
        var command = new Command("verify", "Verify the audit log's hash chain and checkpoints");
        flags.AddTo(command);
        command.Options.Add(file);
        command.Options.Add(checkpoint);
        command.Options.Add(publicKey);
        command.Options.Add(anchor);
        command.SetAction(async (result, cancellationToken) =>
        {
            var (stdout, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            var exportPath = result.GetValue(file);
            if (exportPath is not null && (result.GetValue(flags.Data) is not null || result.GetValue(flags.Config) is not null))
            {
                await error.WriteLineAsync("bulwark audit verify: give either --file or --data/--config, not both");
                return ExitCodes.UsageError;
            }

            ECDsa? key = null;
            try
            {
                key = result.GetValue(publicKey) is { } keyPath ? await ReadKeyAsync(keyPath, cancellationToken) : null;
                var saved = result.GetValue(checkpoint) is { } checkpointPath ? await ReadCheckpointAsync(checkpointPath, cancellationToken) : null;
                if (saved is not null && key is null && exportPath is not null)
                {
                    // An unsigned claim about the log's length proves nothing: fail closed.
                    await error.WriteLineAsync("bulwark audit verify: --checkpoint needs --public-key to check its signature");
                    return ExitCodes.UsageError;
                }

                var options = new AuditVerificationOptions
                {
                    Anchor = result.GetValue(anchor) is { } anchorPath ? await ReadAnchorAsync(anchorPath, cancellationToken) : null,
                    Checkpoints = saved is null ? [] : [saved],
                    PublicKey = key,
                };
                var verification = exportPath is null
                    ? await VerifyDatabaseAsync(flags, result, options, cancellationToken)
                    : await AuditChainVerifier.VerifyExportAsync(() => File.OpenRead(exportPath), options, cancellationToken);
                foreach (var note in verification.Notes)
                {
                    await stdout.WriteLineAsync($"note: {note}");
                }

                if (verification.Finding is { } finding)
                {
                    await stdout.WriteLineAsync($"TAMPERED: {finding}");
                    return ExitCodes.CheckFailed;
                }

                await stdout.WriteLineAsync(verification.Records == 0
                    ? "valid: the log is empty"
                    : $"valid: {verification.Records} records ({verification.FirstSequence}–{verification.LastSequence}), head {verification.HeadHash}, " +
                      $"{verification.CheckpointsMatched} checkpoint(s) matched");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ServerConfigurationException or IOException or UnauthorizedAccessException
                or AuditRecordFormatException or ArgumentException or InvalidOperationException)
            {
                await error.WriteLineAsync($"bulwark audit verify: {e.Message}");
                return ExitCodes.UsageError;
            }
            finally
            {
                key?.Dispose();
            }
        });
        return command;
    }

    private static async Task<AuditVerificationResult> VerifyDatabaseAsync(ServerOptionFlags flags, ParseResult result,
        AuditVerificationOptions options, CancellationToken cancellationToken)
    {
        await using var app = await AuditCommand.OpenAsync(flags, result, cancellationToken);
        return await app.Services.GetRequiredService<AuditVerifier>().VerifyAsync(options, cancellationToken);
    }

    private static async Task<ECDsa> ReadKeyAsync(string path, CancellationToken cancellationToken) =>
        AuditCheckpointKey.ImportPublicKeyPem(await File.ReadAllTextAsync(path, cancellationToken));

    private static async Task<AuditCheckpoint> ReadCheckpointAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await AuditExportFormat.ReadCheckpointAsync(stream, cancellationToken);
    }

    private static async Task<AuditHead> ReadAnchorAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await AuditExportFormat.ReadLastAsync(stream, cancellationToken)
            ?? throw new InvalidOperationException($"the anchor {path} has no records");
    }
}
