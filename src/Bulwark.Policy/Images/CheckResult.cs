namespace Bulwark.Policy.Images;

/// <summary>One check of one rule: passed or not, and the reasons in human words (naming the advisory, key, registry…).</summary>
public sealed record CheckResult(PolicyCheckKind Kind, bool Passed, IReadOnlyList<string> Reasons);
