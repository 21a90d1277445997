namespace Bulwark.Server.Scanning;

/// <summary>
/// What storing one re-match did: the findings that were not open before (<see cref="Appeared"/>, null when the image
/// was removed in the meantime and nothing was recorded), and whether anything but its match time was written
/// (<see cref="Rewritten"/>: false when the outcome was the stored one).
/// </summary>
public readonly record struct StoredRematch(IReadOnlyList<ScannedFinding>? Appeared, bool Rewritten);
