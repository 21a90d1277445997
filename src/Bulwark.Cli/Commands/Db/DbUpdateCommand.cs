using System.CommandLine;

namespace Bulwark.Cli.Commands.Db;

/// <summary>
/// <c>bulwark db update [--source KIND:URL|FILE|DIR …] [--db PATH]</c>: imports the given feeds, or the default set
/// (the OSV bucket archives of the matched ecosystems, the Debian Security Tracker, Alpine secdb). Exit 0 when every
/// source imported, 1 when one failed (its old advisories stay), 2 for a malformed <c>--source</c>.
/// </summary>
internal static class DbUpdateCommand
{
    public static Command Create()
    {
        var db = DbCommand.DatabaseOption();
        var sources = new Option<string[]>("--source")
        {
            Description = "A feed: osv:URL|FILE|DIR (OSV all.zip, file or directory), debian:URL|FILE (Debian Security Tracker JSON), alpine:URL|FILE (Alpine secdb JSON); repeatable. Default: the public feeds",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("update", "Download and import advisories into the local database") { db, sources };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (output, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            IReadOnlyList<AdvisorySourceSpec> specs;
            try
            {
                var given = result.GetValue(sources) ?? [];
                specs = given.Length == 0 ? AdvisorySourceSpec.Defaults() : [.. given.Select(AdvisorySourceSpec.Parse)];
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"bulwark db update: {e.Message}");
                return ExitCodes.UsageError;
            }

            await using var database = await AdvisoryDatabaseFile.OpenAsync(result.GetValue(db), create: true, cancellationToken);
            using var http = CreateHttpClient();
            var updater = new AdvisoryDatabaseUpdater(database!, http, output, error, ImportProgressDisplay.IsTerminal);
            var failures = await updater.UpdateAsync(specs, cancellationToken);
            if (failures.Count > 0)
            {
                await error.WriteLineAsync($"bulwark db update: {failures.Count} of {specs.Count} sources failed; the database at {database!.Path} keeps their previous advisories");
                return ExitCodes.CheckFailed;
            }

            await output.WriteLineAsync($"updated {database!.Path}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static HttpClient CreateHttpClient()
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("bulwark-db-update/1");
        return http;
    }
}
