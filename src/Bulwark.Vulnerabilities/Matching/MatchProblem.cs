namespace Bulwark.Vulnerabilities.Matching;

/// <summary>
/// Something that kept an advisory from being evaluated for a package — an unparseable installed version, a
/// malformed range — reported so that a gap in coverage is never mistaken for "not vulnerable".
/// </summary>
public sealed record MatchProblem(PackageQuery Package, string? AdvisoryId, string Message);
