using Bulwark.Vulnerabilities.Osv;

namespace Bulwark.Vulnerabilities.Import;

/// <summary>Where downloads are staged and how large the things an import reads may be.</summary>
public sealed record AdvisoryImportOptions
{
    /// <summary>Directory for partial downloads (kept between runs so that an interrupted download resumes).</summary>
    public required string DownloadDirectory { get; init; }

    public long MaxDownloadBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    public OsvLimits OsvLimits { get; init; } = OsvLimits.Default;

    public ArchiveLimits ArchiveLimits { get; init; } = ArchiveLimits.Default;

    /// <summary>Whether each import reports what it changed (<see cref="AdvisoryImportResult.Changes"/>); the server sets it.</summary>
    public bool TrackChanges { get; init; }
}
