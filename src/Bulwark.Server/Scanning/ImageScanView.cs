namespace Bulwark.Server.Scanning;

/// <summary>
/// An image's scan as the API shows it: the job (status <c>pending|scanning|done|failed</c>, attempts, error) and, once
/// analysed, the severity summary of open findings and the last match's warnings. For an index, the summary adds up
/// its platform images, listed in <see cref="Platforms"/>.
/// </summary>
public sealed record ImageScanView
{
    public required string Repository { get; init; }

    public required string Digest { get; init; }

    public required string MediaType { get; init; }

    public required string Status { get; init; }

    public int Attempts { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>For a pending job: when it will next be tried.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public ScanSummaryView? Summary { get; init; }

    public int? PackageCount { get; init; }

    public DateTimeOffset? AnalyzedAt { get; init; }

    public DateTimeOffset? MatchedAt { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public IReadOnlyList<ImageScanView>? Platforms { get; init; }
}
