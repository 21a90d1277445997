namespace Bulwark.Server.Scanning;

/// <summary>
/// What matching one inventory produced: the findings, and the warnings that limited it (empty or stale advisory
/// database, unsupported packages, match problems) so that "0 findings" is never silent. <see cref="Index"/> is what the
/// re-match index records of this match; null when unknown, and then the image is re-matched after every update.
/// </summary>
public sealed record ImageScanOutcome(IReadOnlyList<ScannedFinding> Findings, IReadOnlyList<string> Warnings)
{
    public MatchIndexEntry? Index { get; init; }
}
