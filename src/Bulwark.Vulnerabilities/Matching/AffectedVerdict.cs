namespace Bulwark.Vulnerabilities.Matching;

/// <summary>Whether one <c>affected[]</c> entry covers a version, the fixed versions above it, and any problem met on the way.</summary>
public sealed record AffectedVerdict(bool Affected, IReadOnlyList<string> FixedVersions, string? Problem);
