using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Bulwark.Vulnerabilities.Scanning;

namespace Bulwark.Cli.Commands.Db;

/// <summary>
/// <c>bulwark db status [--db PATH] [--format table|json]</c>: the sources, their counts, the last update and the
/// database's age. Exit 0; 1 when the database does not exist.
/// </summary>
internal static class DbStatusCommand
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    public static Command Create()
    {
        var db = DbCommand.DatabaseOption();
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var command = new Command("status", "Show the sources, counts, last update and age of the local advisory database") { db, format };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (output, error) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            await using var database = await AdvisoryDatabaseFile.OpenAsync(result.GetValue(db), create: false, cancellationToken);
            if (database is null)
            {
                await error.WriteLineAsync($"bulwark db status: no advisory database at {Path.GetFullPath(result.GetValue(db) ?? AdvisoryDatabaseFile.DefaultPath())}; run 'bulwark db update'");
                return ExitCodes.CheckFailed;
            }

            var status = await database.Store.GetStatusAsync(MaxAge, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var age = status.OldestImport is { } oldest ? now - oldest : (TimeSpan?)null;
            if (result.GetValue(format) == "json")
            {
                using var stream = new MemoryStream();
                await using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    json.WriteStartObject();
                    json.WriteString("path", database.Path);
                    json.WriteBoolean("empty", status.IsEmpty);
                    json.WriteBoolean("stale", status.IsStale);
                    json.WriteNumber("maxAgeSeconds", (long)MaxAge.TotalSeconds);
                    if (status.OldestImport is { } updated)
                    {
                        json.WriteString("updatedAt", updated.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                        json.WriteNumber("ageSeconds", (long)age!.Value.TotalSeconds);
                    }
                    else
                    {
                        json.WriteNull("updatedAt");
                        json.WriteNull("ageSeconds");
                    }

                    json.WriteNumber("advisories", status.Sources.Sum(s => s.AdvisoryCount));
                    json.WriteStartArray("sources");
                    foreach (var source in status.Sources)
                    {
                        json.WriteStartObject();
                        json.WriteString("name", source.Name);
                        json.WriteString("url", source.Url);
                        json.WriteString("importedAt", source.ImportedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                        json.WriteNumber("advisories", source.AdvisoryCount);
                        json.WriteNumber("packages", source.PackageCount);
                        json.WriteNumber("rejected", source.RejectedCount);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
                return ExitCodes.Success;
            }

            await output.WriteLineAsync($"database:     {database.Path}");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"advisories:   {status.Sources.Sum(s => s.AdvisoryCount):N0} from {status.Sources.Count} sources"));
            await output.WriteLineAsync(status.OldestImport is { } last
                ? $"last update:  {last.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z ({InventoryScanner.Describe(age!.Value)} ago, oldest source)"
                : "last update:  never");
            if (status.IsEmpty)
            {
                await output.WriteLineAsync("WARNING: the database is EMPTY: scans cannot find any vulnerability. Run 'bulwark db update'.");
            }
            else if (status.IsStale)
            {
                await output.WriteLineAsync($"WARNING: the database is STALE (older than {InventoryScanner.Describe(MaxAge)}). Run 'bulwark db update'.");
            }

            if (status.Sources.Count > 0)
            {
                await output.WriteLineAsync();
                var width = Math.Max(6, status.Sources.Max(s => s.Name.Length));
                await output.WriteLineAsync($"{"SOURCE".PadRight(width)}  {"IMPORTED (UTC)",-19}  {"ADVISORIES",10}  {"PACKAGES",9}  {"REJECTED",8}  URL");
                foreach (var source in status.Sources)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{source.Name.PadRight(width)}  {source.ImportedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss}  {source.AdvisoryCount,10}  {source.PackageCount,9}  {source.RejectedCount,8}  {source.Url}"));
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
