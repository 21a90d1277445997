namespace Bulwark.Vulnerabilities.Matching;

/// <summary>The findings for a set of packages, and the problems that limited the matching.</summary>
public sealed record MatchResult(IReadOnlyList<Finding> Findings, IReadOnlyList<MatchProblem> Problems);
