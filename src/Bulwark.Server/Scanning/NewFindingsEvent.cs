namespace Bulwark.Server.Scanning;

/// <summary>Findings that appeared in one image (by manifest digest, with the repositories that hold it) at <see cref="DetectedAt"/>.</summary>
public sealed record NewFindingsEvent(
    string ManifestDigest,
    IReadOnlyList<string> Repositories,
    IReadOnlyList<ScannedFinding> Findings,
    DateTimeOffset DetectedAt);
