using System.Globalization;
using Bulwark.Vulnerabilities.Import;
using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Cli.Commands.Db;

/// <summary>
/// Imports a list of sources into the database, one at a time. Each import replaces its source atomically, so a
/// failed source keeps its previous advisories; the failures are reported and the others still run.
/// </summary>
internal sealed class AdvisoryDatabaseUpdater(AdvisoryDatabaseFile database, HttpClient http, TextWriter output, TextWriter error, bool showProgress)
{
    /// <summary>Runs every import; returns the failures as "source: reason".</summary>
    public async Task<IReadOnlyList<string>> UpdateAsync(IReadOnlyList<AdvisorySourceSpec> sources, CancellationToken cancellationToken)
    {
        var importer = new AdvisoryImporter(database.Store, http, new AdvisoryImportOptions { DownloadDirectory = database.DownloadDirectory });
        var progress = new ImportProgressDisplay(error, showProgress);
        var failures = new List<string>();
        foreach (var source in sources)
        {
            try
            {
                var result = await ImportAsync(importer, source, progress, cancellationToken);
                progress.Clear();
                await output.WriteLineAsync(result.Unchanged
                    ? $"{source.Name}: unchanged since the last update ({result.Advisories} advisories)"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{source.Name}: {result.Advisories} advisories, {result.Packages} packages, {result.Rejected} rejected, in {result.Elapsed.TotalSeconds:0.0} s"));
                foreach (var rejected in result.Errors)
                {
                    await output.WriteLineAsync($"  rejected: {rejected}");
                }
            }
            catch (Exception e) when (e is AdvisoryImportException or OsvFormatException or IOException or UnauthorizedAccessException
                or HttpRequestException or InvalidDataException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                progress.Clear();
                var reason = $"{source.Name}: {e.Message}";
                failures.Add(reason);
                await error.WriteLineAsync($"bulwark db update: FAILED {reason} (its previous advisories are kept)");
            }
        }

        return failures;
    }

    private static Task<AdvisoryImportResult> ImportAsync(AdvisoryImporter importer, AdvisorySourceSpec source, IProgress<ImportProgress> progress, CancellationToken cancellationToken) =>
        (source.Kind, source.IsUrl) switch
        {
            (AdvisorySourceKind.Osv, true) => importer.ImportOsvUrlAsync(source.Name, new Uri(source.Location), null, progress, cancellationToken),
            (AdvisorySourceKind.Osv, false) => importer.ImportOsvAsync(source.Name, source.Location, progress, cancellationToken),
            (AdvisorySourceKind.Debian, true) => importer.ImportDebianTrackerUrlAsync(source.Name, new Uri(source.Location), progress, cancellationToken),
            (AdvisorySourceKind.Debian, false) => importer.ImportDebianTrackerAsync(source.Name, source.Location, progress, cancellationToken),
            (AdvisorySourceKind.Alpine, true) => importer.ImportAlpineSecDbUrlAsync(source.Name, new Uri(source.Location), progress, cancellationToken),
            _ => importer.ImportAlpineSecDbAsync(source.Name, source.Location, progress, cancellationToken),
        };
}
