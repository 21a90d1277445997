using Bulwark.Vulnerabilities.Advisories;

namespace Bulwark.Vulnerabilities.Import;

/// <summary>
/// The outcome of importing one source. <see cref="Unchanged"/> means the server answered 304 and nothing was
/// replaced. <see cref="Errors"/> holds the first rejected records' reasons (at most <see cref="MaxReportedErrors"/>).
/// </summary>
public sealed record AdvisoryImportResult(
    string Source,
    bool Unchanged,
    int Advisories,
    int Packages,
    int Rejected,
    IReadOnlyList<string> Errors,
    TimeSpan Elapsed)
{
    public const int MaxReportedErrors = 20;

    /// <summary>What the import changed, when the store was asked to track it (<see cref="AdvisorySourceUpdate.TrackChanges"/>); null otherwise and when <see cref="Unchanged"/>.</summary>
    public AdvisoryChangeSet? Changes { get; init; }
}
