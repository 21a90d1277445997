using Bulwark.Audit;
using Bulwark.Audit.Records;
using Bulwark.Server.Configuration;
using Bulwark.Vulnerabilities.Advisories;
using Bulwark.Vulnerabilities.Import;

namespace Bulwark.Server.Scanning;

/// <summary>
/// Imports advisory sources into the metadata database, records each import (the store keeps the source row; an audit
/// record is appended too), then re-matches the stored inventories the update can have changed: each import reports its
/// change set (advisories added, modified, withdrawn or removed, and the package keys they name), and only images holding
/// one of those packages are matched again (<see cref="InventoryRematcher.RematchAsync"/>). One update at a time.
/// </summary>
public sealed partial class AdvisoryUpdater(
    AdvisoryImporter importer,
    InventoryRematcher rematcher,
    IAuditLog audit,
    ILogger<AdvisoryUpdater> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    public async Task<AdvisoryUpdateReport> UpdateAsync(IReadOnlyList<AdvisorySourceSettings> sources, AuditActor actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var reports = new List<AdvisorySourceReport>();
            var changes = new List<AdvisoryChangeSet?>();
            foreach (var source in sources)
            {
                var (report, changed) = await ImportAsync(source, actor, cancellationToken).ConfigureAwait(false);
                reports.Add(report);
                if (report.Error is null && !report.Unchanged && changed is not { IsEmpty: true })
                {
                    changes.Add(changed);
                }
            }

            RematchSummary? rematch = null;
            if (changes.Count > 0)
            {
                rematch = await rematcher.RematchAsync(AdvisoryChangeSet.ChangedPackages(changes), cancellationToken).ConfigureAwait(false);
            }

            return new AdvisoryUpdateReport(reports, rematch);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The problems with a source definition, all at once; empty when it is usable.</summary>
    public static IReadOnlyList<string> Validate(AdvisorySourceSettings source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(source.Name) || source.Name.Length > 200)
        {
            problems.Add("name is required (at most 200 characters)");
        }

        if (source.Kind is not ("osv" or "debian" or "alpine"))
        {
            problems.Add($"kind '{source.Kind}' is not one of osv, debian, alpine");
        }

        if ((source.Url is null) == (source.Path is null))
        {
            problems.Add("give exactly one of url and path");
        }

        if (source.Url is not null && (!Uri.TryCreate(source.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            problems.Add($"url '{source.Url}' is not an http(s) URL");
        }

        if (source.Url is not null && source.Kind != "osv")
        {
            problems.Add("only osv sources can be downloaded from a url; debian and alpine take a path");
        }

        return problems;
    }

    private async Task<(AdvisorySourceReport Report, AdvisoryChangeSet? Changes)> ImportAsync(AdvisorySourceSettings source, AuditActor actor,
        CancellationToken cancellationToken)
    {
        var problems = Validate(source);
        if (problems.Count > 0)
        {
            return (await RecordAsync(source, actor, null, string.Join("; ", problems), cancellationToken).ConfigureAwait(false), null);
        }

        try
        {
            var result = source switch
            {
                { Url: { } url } => await importer.ImportOsvUrlAsync(source.Name, new Uri(url), null, null, cancellationToken).ConfigureAwait(false),
                { Kind: "debian" } => await importer.ImportDebianTrackerAsync(source.Name, source.Path!, null, cancellationToken).ConfigureAwait(false),
                { Kind: "alpine" } => await importer.ImportAlpineSecDbAsync(source.Name, source.Path!, null, cancellationToken).ConfigureAwait(false),
                _ => await importer.ImportOsvAsync(source.Name, source.Path!, null, cancellationToken).ConfigureAwait(false),
            };
            return (await RecordAsync(source, actor, result, null, cancellationToken).ConfigureAwait(false), result.Changes);
        }
        catch (AdvisoryImportException e)
        {
            return (await RecordAsync(source, actor, null, e.Message, cancellationToken).ConfigureAwait(false), null);
        }
    }

    private async Task<AdvisorySourceReport> RecordAsync(AdvisorySourceSettings source, AuditActor actor, AdvisoryImportResult? result, string? error,
        CancellationToken cancellationToken)
    {
        var report = new AdvisorySourceReport(source.Name, result?.Unchanged ?? false, result?.Advisories ?? 0, result?.Rejected ?? 0, error);
        if (error is null)
        {
            LogImported(logger, source.Name, report.Advisories, report.Rejected, report.Unchanged);
        }
        else
        {
            LogImportFailed(logger, source.Name, error);
        }

        var details = new Dictionary<string, string>
        {
            ["kind"] = source.Kind,
            ["advisories"] = report.Advisories.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["rejected"] = report.Rejected.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["unchanged"] = report.Unchanged ? "true" : "false",
        };
        if (result?.Changes is { } changes)
        {
            details["added"] = changes.Added.ToString(System.Globalization.CultureInfo.InvariantCulture);
            details["modified"] = changes.Modified.ToString(System.Globalization.CultureInfo.InvariantCulture);
            details["removed"] = changes.Removed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await audit.AppendAsync(new AuditEvent(actor, AuditActions.AdvisoriesUpdate, source.Name, error is null ? AuditOutcome.Success : AuditOutcome.Failure,
            Reason: error, Details: details), cancellationToken).ConfigureAwait(false);
        return report;
    }

    [LoggerMessage(EventId = 3040, Level = LogLevel.Information, Message = "Advisory source {Source}: {Advisories} advisories, {Rejected} rejected (unchanged: {Unchanged})")]
    private static partial void LogImported(ILogger logger, string source, int advisories, int rejected, bool unchanged);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Error, Message = "Advisory source {Source} was not updated: {Error}")]
    private static partial void LogImportFailed(ILogger logger, string source, string error);
}
