using System.Diagnostics;
using Bulwark.Cli.Commands.Db;

namespace Bulwark.ScanBench;

/// <summary>
/// Imports the shared OSV archives (and a Debian tracker file when given) into a fresh SQLite advisory database with
/// the code of <c>bulwark db update --source …</c> (<see cref="AdvisoryDatabaseUpdater"/>), one source at a time:
/// wall time, advisories and the peak working set of each. The database is then the one the scan phase reads.
/// </summary>
internal static class ImportBenchmark
{
    public static async Task<IReadOnlyList<ImportFigures>> RunAsync(BenchOptions options, string databasePath, TextWriter log,
        CancellationToken cancellationToken)
    {
        var specs = options.OsvZips.Select(AdvisorySourceSpec.Parse).ToList();
        if (options.DebianTracker is { } tracker)
        {
            specs.Add(AdvisorySourceSpec.Parse("debian:" + tracker));
        }

        var figures = new List<ImportFigures>();
        await using var database = (await AdvisoryDatabaseFile.OpenAsync(databasePath, create: true, cancellationToken))!;
        using var http = DbUpdateCommand.CreateHttpClient();
        var errors = new StringWriter();
        var updater = new AdvisoryDatabaseUpdater(database, http, TextWriter.Null, errors, showProgress: false);
        foreach (var spec in specs)
        {
            await log.WriteLineAsync($"import: {spec.Name} from {spec.Location}");
            PeakMemory.Reset();
            var stopwatch = Stopwatch.StartNew();
            var failures = await updater.UpdateAsync([spec], cancellationToken);
            var elapsed = stopwatch.Elapsed.TotalMilliseconds;
            if (failures.Count > 0)
            {
                throw new InvalidOperationException($"import of {spec.Location} failed: {errors}");
            }

            var source = await database.Store.FindSourceAsync(spec.Name, cancellationToken)
                ?? throw new InvalidOperationException($"{spec.Name} was imported but has no source row");
            figures.Add(new ImportFigures(spec.Name, Path.GetFileName(spec.Location), source.AdvisoryCount, source.PackageCount,
                source.RejectedCount, Math.Round(elapsed, 1), PeakMemory.PeakMiB()));
        }

        return figures;
    }
}
