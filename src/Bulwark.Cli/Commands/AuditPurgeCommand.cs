using System.CommandLine;
using System.Globalization;
using Bulwark.Audit.Retention;
using Bulwark.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary><c>bulwark audit purge</c>: archives the records older than a date to a new file, then deletes them.</summary>
internal static class AuditPurgeCommand
{
    public static Command Create()
    {
        var flags = new ServerOptionFlags();
        var before = new Option<string>("--before")
        {
            Description = "Purge records older than this: a date or time (2026-01-01, 2026-01-01T12:00:00Z) or an age (90d)",
            Required = true,
        };
        var archive = new Option<string>("--archive") { Description = "The archive file to create (must not exist)", Required = true };
        var command = new Command("purge", "Archive and delete audit records older than a cutoff");
        flags.AddTo(command);
        command.Options.Add(before);
        command.Options.Add(archive);
        command.SetAction(async (result, cancellationToken) =>
        {
            var (stdout, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            var path = result.GetValue(archive)!;
            FileStream? stream = null;
            try
            {
                await using var app = await AuditCommand.OpenAsync(flags, result, cancellationToken);
                var cutoff = ParseCutoff(result.GetValue(before)!, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
                stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                var file = stream;
                var purge = await app.Services.GetRequiredService<AuditRetention>().ArchiveAndPurgeAsync(cutoff, stream,
                    _ =>
                    {
                        // The archive is on disk before a single record is deleted.
                        file.Flush(flushToDisk: true);
                        return Task.CompletedTask;
                    }, cancellationToken);
                await stream.DisposeAsync();
                stream = null;
                if (purge.Purged == 0)
                {
                    File.Delete(path);
                    await stdout.WriteLineAsync($"nothing older than {cutoff:O} to purge");
                    return ExitCodes.Success;
                }

                await stdout.WriteLineAsync($"archived and purged {purge.Purged} records ({purge.FirstSequence}–{purge.LastSequence}) to {path}; " +
                    $"the remaining log continues from hash {purge.Checkpoint!.HeadHash}");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ServerConfigurationException or IOException or UnauthorizedAccessException or FormatException)
            {
                await error.WriteLineAsync($"bulwark audit purge: {e.Message}");
                return ExitCodes.UsageError;
            }
            finally
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync();
                }
            }
        });
        return command;
    }

    /// <exception cref="FormatException">Neither a date nor an age.</exception>
    private static DateTimeOffset ParseCutoff(string text, DateTimeOffset now)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return date;
        }

        try
        {
            return now - Duration.Parse(text);
        }
        catch (ServerConfigurationException e)
        {
            throw new FormatException($"--before {text} is neither a date nor an age like 90d", e);
        }
    }
}
