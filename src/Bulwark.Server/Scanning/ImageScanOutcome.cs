namespace Bulwark.Server.Scanning;

/// <summary>
/// What matching one inventory produced: the findings, and the warnings that limited it (empty or stale advisory
/// database, unsupported packages, match problems) so that "0 findings" is never silent.
/// </summary>
public sealed record ImageScanOutcome(IReadOnlyList<ScannedFinding> Findings, IReadOnlyList<string> Warnings);
